package dev.herald.worker.e2e;

import static dev.herald.worker.e2e.MalformedRequestsTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.worker.e2e.RawHttp.Answer;
import io.dropwizard.testing.ConfigOverride;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mistakes of a client that Herald once answered with a bare 500 or a vague message: each is a
 * problem document that says what was wrong, driven over HTTP. The body limit is raised above
 * the JSON parser's string limit (20,000,000 characters) so that the parser's own limit is the
 * one a long string meets.
 */
class ClientFaultsTest {

  private static final int BODY_LIMIT = 24 * 1024 * 1024;

  private static HeraldHarness herald;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    herald = new HeraldHarness(
        ConfigOverride.config("delivery.maxRequestBytes", String.valueOf(BODY_LIMIT)));
    port = herald.app.getLocalPort();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @Test
  void aBodyThatSaysGzipButIsNotIsABadRequest() throws Exception {
    Answer a = post("/v1/events", "Content-Encoding: gzip\r\n",
        "{\"type\":\"order.paid\",\"data\":{}}".getBytes(StandardCharsets.UTF_8));
    assertProblem(a, 400, "invalid_encoding");
    assertThat(a.json().get("detail").asText()).contains("gzip");
  }

  @Test
  void aGzipBodyThatIsGzipIsAccepted() throws Exception {
    java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
    try (var gzip = new java.util.zip.GZIPOutputStream(zipped)) {
      gzip.write("{\"type\":\"order.paid\",\"data\":{}}".getBytes(StandardCharsets.UTF_8));
    }
    Answer a = post("/v1/events", "Content-Encoding: gzip\r\n", zipped.toByteArray());
    assertThat(a.status()).as("%s", a).isEqualTo(202);
  }

  @ParameterizedTest(name = "GET {0} with a cursor past the year 9999")
  @ValueSource(strings = {"/v1/subscriptions", "/v1/deliveries", "/v1/notifications"})
  void aCursorOutOfRangeNamesTheCursor(String list) throws Exception {
    for (long millis : new long[] {Long.MAX_VALUE, 9_000_000_000_000_000L, 253_402_300_800_000L}) {
      String cursor = Base64.getUrlEncoder().withoutPadding()
          .encodeToString((millis + ":sub_x").getBytes(StandardCharsets.UTF_8));
      HeraldHarness.Response r = herald.call("GET", list + "?cursor=" + cursor, null);
      ApiContractTest.assertProblem(r, 422, "invalid_request");
      assertThat(r.json().get("errors").findValuesAsText("parameter")).containsExactly("cursor");
    }
    // The last millisecond of 9999 is still a place in a list.
    String last = Base64.getUrlEncoder().withoutPadding()
        .encodeToString("253402300799999:sub_x".getBytes(StandardCharsets.UTF_8));
    assertThat(herald.call("GET", list + "?cursor=" + last, null).status()).isEqualTo(200);
  }

  @Test
  void anUnsupportedMediaTypeNamesTheOneAccepted() throws Exception {
    HeraldHarness.Response r =
        herald.call("POST", "/v1/events", "type=x", herald.apiKey, "text/plain");
    ApiContractTest.assertProblem(r, 415, "unsupported_media_type");
    assertThat(r.json().get("detail").asText()).contains("application/json");
  }

  @Test
  void aMethodNotAllowedListsTheAllowedOnes() throws Exception {
    HeraldHarness.Response r = herald.call("DELETE", "/v1/events", null);
    ApiContractTest.assertProblem(r, 405, "method_not_allowed");
    assertThat(r.header("Allow")).contains("GET").contains("POST");
    assertThat(r.json().get("detail").asText()).contains("DELETE").contains("GET").contains("POST");
  }

  @Test
  void aBodyNestedTooDeepSaysTheLimit() throws Exception {
    String deep = "{\"type\":\"order.paid\",\"data\":{\"a\":" + "[".repeat(1_001) + "]".repeat(1_001) + "}}";
    HeraldHarness.Response r = herald.call("POST", "/v1/events", deep);
    ApiContractTest.assertProblem(r, 400, "invalid_json");
    assertThat(r.json().get("detail").asText()).contains("nested").contains("1000");
  }

  @Test
  void aNumberTooLongSaysTheLimit() throws Exception {
    String big = "{\"type\":\"order.paid\",\"data\":{\"a\":" + "9".repeat(1_001) + "}}";
    HeraldHarness.Response r = herald.call("POST", "/v1/events", big);
    ApiContractTest.assertProblem(r, 400, "invalid_json");
    assertThat(r.json().get("detail").asText()).contains("number").contains("1000");
  }

  @Test
  void aNameTooLongSaysTheLimit() throws Exception {
    String name = "{\"type\":\"order.paid\",\"data\":{\"" + "k".repeat(50_001) + "\":1}}";
    HeraldHarness.Response r = herald.call("POST", "/v1/events", name);
    ApiContractTest.assertProblem(r, 400, "invalid_json");
    assertThat(r.json().get("detail").asText()).contains("name").contains("50000");
  }

  @Test
  void aStringTooLongSaysTheLimit() throws Exception {
    String text = "{\"type\":\"order.paid\",\"data\":{\"a\":\"" + "s".repeat(20_000_001) + "\"}}";
    HeraldHarness.Response r = herald.call("POST", "/v1/events", text);
    ApiContractTest.assertProblem(r, 400, "invalid_json");
    assertThat(r.json().get("detail").asText()).contains("string").contains("20000000");
  }

  private static Answer post(String path, String extraHeaders, byte[] body) throws Exception {
    return RawHttp.send(port,
        "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + herald.apiKey
            + "\r\nContent-Type: application/json\r\n" + extraHeaders.strip(),
        body);
  }
}
