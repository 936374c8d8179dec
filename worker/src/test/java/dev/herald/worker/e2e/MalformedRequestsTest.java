package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.worker.e2e.RawHttp.Answer;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests that Jetty refuses before Jersey sees them are answered with the same problem document
 * as every other error, on the application and the admin port.
 */
class MalformedRequestsTest {

  private static HeraldHarness herald;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    herald = new HeraldHarness();
    port = herald.app.getLocalPort();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @Test
  void aMalformedPercentEncodingIsABadRequest() throws Exception {
    assertProblem(RawHttp.get(port, "/v1/%zz"), 400, "bad_request");
    assertProblem(RawHttp.get(port, "/v1/subscriptions/%"), 400, "bad_request");
  }

  @Test
  void anAmbiguousPathIsABadRequest() throws Exception {
    assertProblem(RawHttp.get(port, "/v1/subscriptions/a%2Fb"), 400, "bad_request");
    assertProblem(RawHttp.get(port, "/v1/subscriptions/..%2F..%2Fevents"), 400, "bad_request");
    assertProblem(RawHttp.get(port, "/v1/subscriptions/%2e%2e/x"), 400, "bad_request");
  }

  @Test
  void aRequestLineTooLongIsUriTooLong() throws Exception {
    assertProblem(RawHttp.get(port, "/v1/subscriptions/" + "a".repeat(20_000)), 414, "uri_too_long");
  }

  @Test
  void headersTooLargeAreRequestHeaderFieldsTooLarge() throws Exception {
    Answer a =
        RawHttp.send(
            port, "GET /v1/subscriptions/sub_x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "b".repeat(20_000),
            null);
    assertProblem(a, 431, "request_header_fields_too_large");
  }

  @Test
  void aBadHostHeaderIsABadRequest() throws Exception {
    assertProblem(RawHttp.send(port, "GET /v1/openapi.yaml HTTP/1.1\r\nHost: [::1", null), 400, "bad_request");
    assertProblem(RawHttp.send(port, "GET /v1/openapi.yaml HTTP/1.1", null), 400, "bad_request");
  }

  @Test
  void garbageInsteadOfARequestLineIsABadRequest() throws Exception {
    assertProblem(RawHttp.send(port, "GET\u0001 / HTTP/1.1\r\nHost: 127.0.0.1", null), 400, "bad_request");
    assertProblem(
        RawHttp.send(port, "GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\u0001: x", null),
        400, "bad_request");
  }

  @Test
  void anUnsupportedHttpVersionIsAProblemToo() throws Exception {
    assertProblem(
        RawHttp.send(port, "GET /v1/events HTTP/7.1\r\nHost: 127.0.0.1", null), 505,
        "http_version_not_supported");
    Answer a = RawHttp.send(port, "HELLO THERE", null);
    assertProblem(a, 505, "http_version_not_supported");
    assertThat(a.json().get("detail").asText()).doesNotContain("correlation id");
  }

  @Test
  void aProblemIsWrittenWhateverTheClientAccepts() throws Exception {
    Answer a =
        RawHttp.send(port, "GET /v1/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html", null);
    assertProblem(a, 400, "bad_request");
  }

  @Test
  void theAdminPortAnswersProblemsToo() throws Exception {
    assertProblem(RawHttp.get(herald.app.getAdminPort(), "/%zz"), 400, "bad_request");
    assertProblem(
        RawHttp.get(herald.app.getAdminPort(), "/healthcheck/" + "a".repeat(20_000)), 414,
        "uri_too_long");
  }

  static void assertProblem(Answer a, int status, String code) throws IOException {
    assertThat(a.status()).as("%s", a).isEqualTo(status);
    assertThat(a.contentType()).as("%s", a).startsWith("application/problem+json");
    JsonNode json = a.json();
    assertThat(json.get("code").asText()).as("%s", a).isEqualTo(code);
    assertThat(json.get("status").asInt()).isEqualTo(status);
    assertThat(json.get("type").asText()).isEqualTo("https://herald.dev/problems/" + code);
    assertThat(json.hasNonNull("title")).isTrue();
    assertThat(json.hasNonNull("detail")).isTrue();
  }
}
