package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.worker.e2e.RawHttp.Answer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input never gives a 500: every malformed body or path id is a 4xx problem document with
 * a code, and nothing is written.
 */
class HostileInputTest {

  private static final String SUB = "{\"name\":\"x\",\"url\":\"http://127.0.0.1:9/\",\"events\":[\"*\"]";

  private static HeraldHarness herald;
  /** A subscription that PATCH and rotate-secret are aimed at. */
  private static String target;

  @BeforeAll
  static void start() throws Exception {
    herald = new HeraldHarness();
    target = herald.call("POST", "/v1/subscriptions", SUB + "}").json().get("id").asText();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  static Stream<Arguments> eventBodies() {
    return Stream.of(
        body("broken JSON", "{\"type\":\"a\",\"data\":{}"),
        body("not JSON at all", "type=a"),
        body("empty body", ""),
        body("JSON null", "null"),
        body("an array instead of an object", "[{\"type\":\"a\",\"data\":{}}]"),
        body("a bare string", "\"order.paid\""),
        body("trailing garbage", "{\"type\":\"a\",\"data\":{}} {}"),
        body("type of the wrong type", "{\"type\":1,\"data\":{}}"),
        body("data a string", "{\"type\":\"a\",\"data\":\"x\"}"),
        body("id a number", "{\"id\":7,\"type\":\"a\",\"data\":{}}"),
        body("id a huge integer", "{\"id\":99999999999999999999999,\"type\":\"a\",\"data\":{}}"),
        body("type a huge double", "{\"type\":1e400,\"data\":{}}"),
        body("type an exponent past any scale", "{\"type\":1e99999999999,\"data\":{}}"),
        body("data with an exponent past any scale", "{\"type\":\"a\",\"data\":{\"x\":1e-99999999999}}"),
        body("data with a thousand-digit number", "{\"type\":\"a\",\"data\":{\"x\":" + "9".repeat(1_001) + "}}"),
        body("type minus zero", "{\"type\":-0,\"data\":{}}"),
        body("attributes an array", "{\"type\":\"a\",\"data\":{},\"attributes\":[]}"),
        body("attribute value a number", "{\"type\":\"a\",\"data\":{},\"attributes\":{\"k\":1e400}}"),
        body("NaN", "{\"type\":\"a\",\"data\":{\"x\":NaN}}"),
        body("Infinity", "{\"type\":\"a\",\"data\":{\"x\":-Infinity}}"),
        body("deeply nested arrays", "[".repeat(100_000)),
        body("deeply nested data", "{\"type\":\"a\",\"data\":" + "{\"a\":".repeat(40_000)),
        body("nested data just past the limit",
            "{\"type\":\"a\",\"data\":" + "[".repeat(1_100) + "]".repeat(1_100) + "}"),
        body("a raw control character in a string", "{\"type\":\"a\u0001\",\"data\":{}}"),
        body("a raw NUL byte in a string", "{\"type\":\"a\u0000\",\"data\":{}}"),
        body("a raw newline in a key", "{\"ty\npe\":\"a\",\"data\":{}}"),
        bytes("an invalid UTF-8 byte", "{\"type\":\"a", new byte[] {(byte) 0xff}, "\",\"data\":{}}"),
        bytes("an overlong UTF-8 slash", "{\"type\":\"a", new byte[] {(byte) 0xc0, (byte) 0xaf}, "\",\"data\":{}}"),
        bytes("a truncated UTF-8 sequence", "{\"type\":\"a\",\"data\":{\"x\":\"", new byte[] {(byte) 0xe2, (byte) 0x82}, "\"}}"),
        bytes("a UTF-8 encoded surrogate", "{\"type\":\"a\",\"data\":{},\"attributes\":{\"k\":\"",
            new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, "\"}}"),
        bytes("a lone continuation byte in data", "{\"type\":\"a\",\"data\":{\"", new byte[] {(byte) 0x80}, "\":1}}"),
        body("NUL in id", "{\"id\":\"evt_\\u0000\",\"type\":\"a\",\"data\":{}}"),
        body("NUL in type", "{\"type\":\"a\\u0000\",\"data\":{}}"),
        body("NUL in an attribute key", "{\"type\":\"a\",\"data\":{},\"attributes\":{\"k\\u0000\":\"v\"}}"),
        body("NUL in an attribute value", "{\"type\":\"a\",\"data\":{},\"attributes\":{\"k\":\"v\\u0000\"}}"),
        body("a lone surrogate in an attribute value", "{\"type\":\"a\",\"data\":{},\"attributes\":{\"k\":\"\\ud800\"}}"),
        body("a lone surrogate in an attribute key", "{\"type\":\"a\",\"data\":{},\"attributes\":{\"\\udc00\":\"v\"}}"),
        body("a lone surrogate in data", "{\"type\":\"a\",\"data\":{\"x\":\"\\ud800\"}}"),
        body("a lone surrogate as a data key", "{\"type\":\"a\",\"data\":{\"\\ud800\":1}}"),
        body("duplicate keys", "{\"type\":\"a\",\"type\":\"b\",\"data\":{}}"),
        body("duplicate keys in data", "{\"type\":\"a\",\"data\":{\"x\":1,\"x\":2}}"),
        body("a very long id", "{\"id\":\"" + "e".repeat(10_000) + "\",\"type\":\"a\",\"data\":{}}"),
        body("a very long attribute key", "{\"type\":\"a\",\"data\":{},\"attributes\":{\"" + "k".repeat(10_000) + "\":\"v\"}}"));
  }

  static Stream<Arguments> subscriptionBodies() {
    return Stream.of(
        body("broken JSON", SUB),
        body("empty body", ""),
        body("JSON null", "null"),
        body("an array instead of an object", "[" + SUB + "}]"),
        body("NUL in name", SUB.replace("\"x\"", "\"x\\u0000\"") + "}"),
        body("NUL in url", SUB.replace("9/", "9/\\u0000") + "}"),
        body("NUL in an event pattern", SUB.replace("\"*\"", "\"a\\u0000\"") + "}"),
        body("NUL in a filter key", SUB + ",\"filter\":{\"k\\u0000\":\"v\"}}"),
        body("NUL in a filter value", SUB + ",\"filter\":{\"k\":\"\\u0000\"}}"),
        body("NUL in a header name", SUB + ",\"headers\":{\"X-A\\u0000\":\"v\"}}"),
        body("NUL in a header value", SUB + ",\"headers\":{\"X-A\":\"v\\u0000\"}}"),
        body("a lone surrogate in name", SUB.replace("\"x\"", "\"\\udfff\"") + "}"),
        body("a lone surrogate in a filter value", SUB + ",\"filter\":{\"k\":\"\\ud800\"}}"),
        body("timeout a huge double", SUB + ",\"timeoutSeconds\":1e400}"),
        body("timeout a huge integer", SUB + ",\"timeoutSeconds\":99999999999999999999999}"),
        body("timeout minus zero", SUB + ",\"timeoutSeconds\":-0}"),
        body("timeout a fraction", SUB + ",\"timeoutSeconds\":2.5}"),
        body("timeout a string", SUB + ",\"timeoutSeconds\":\"5\"}"),
        body("retry schedule a huge integer", SUB + ",\"retrySchedule\":[99999999999999999999999]}"),
        body("maxRetries a huge double", SUB + ",\"maxRetries\":1e400,\"retryDelaySeconds\":1}"),
        body("disableAfter failures a huge integer", SUB + ",\"disableAfter\":{\"failures\":99999999999999999999999}}"),
        body("disableAfter an array", SUB + ",\"disableAfter\":[]}"),
        body("events a string", "{\"name\":\"x\",\"url\":\"http://127.0.0.1:9/\",\"events\":\"*\"}"),
        body("events deeply nested", "{\"name\":\"x\",\"url\":\"http://127.0.0.1:9/\",\"events\":" + "[".repeat(100_000)),
        body("NaN timeout", SUB + ",\"timeoutSeconds\":NaN}"),
        body("duplicate keys", SUB + ",\"name\":\"y\"}"),
        body("a raw control character", SUB.replace("\"x\"", "\"x\u0007\"") + "}"),
        bytes("an invalid UTF-8 byte in name", "{\"name\":\"", new byte[] {(byte) 0xfe}, "\",\"url\":\"http://127.0.0.1:9/\",\"events\":[\"*\"]}"),
        body("a very long url", SUB.replace("9/", "9/" + "u".repeat(10_000)) + "}"),
        body("a very long header value", SUB + ",\"headers\":{\"X-A\":\"" + "v".repeat(10_000) + "\"}}"),
        body("a url with a space", SUB.replace("9/", "9/a b") + "}"),
        body("a url with a newline", SUB.replace("9/", "9/a\\r\\nX-Injected: 1") + "}"));
  }

  static Stream<Arguments> rotationBodies() {
    return Stream.of(
        body("broken JSON", "{\"graceSeconds\":"),
        body("JSON null", "null"),
        body("an array", "[1]"),
        body("grace a huge integer", "{\"graceSeconds\":99999999999999999999999}"),
        body("grace a huge double", "{\"graceSeconds\":1e400}"),
        body("grace an exponent past any decimal", "{\"graceSeconds\":1e99999999999}"),
        body("grace a fraction", "{\"graceSeconds\":1.5}"),
        body("grace negative", "{\"graceSeconds\":-1}"),
        body("grace a string", "{\"graceSeconds\":\"60\"}"),
        body("an unknown field with NUL", "{\"g\\u0000\":1}"),
        body("deeply nested", "{\"graceSeconds\":" + "[".repeat(100_000)),
        bytes("an invalid UTF-8 byte", "{\"", new byte[] {(byte) 0xc3, (byte) 0x28}, "\":1}"));
  }

  static Stream<String> hostileQueries() {
    return Stream.of("limit=-1", "limit=1e400", "limit=99999999999999999999", "limit=%00", "limit=",
        "cursor=%00", "cursor=%FF%FE", "cursor=" + "A".repeat(5_000), "cursor=MTo%00",
        "cursor=OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTpzdWJfeA", "cursor=LTE6c3ViX3g");
  }

  static Stream<Arguments> hostileIdsOnWrites() {
    List<String> ids = List.of("%00", "%FF", "%ED%A0%80", "x".repeat(6_000));
    return ids.stream().flatMap(id -> Stream.of(
        Arguments.of("PATCH", "/v1/subscriptions/" + id),
        Arguments.of("DELETE", "/v1/subscriptions/" + id),
        Arguments.of("POST", "/v1/subscriptions/" + id + "/rotate-secret"),
        Arguments.of("POST", "/v1/subscriptions/" + id + "/test"),
        Arguments.of("POST", "/v1/deliveries/" + id + "/retry"),
        Arguments.of("POST", "/v1/deliveries/" + id + "/cancel")));
  }

  static Stream<Arguments> hostileIds() {
    List<String> ids =
        List.of("%00", "a%00b", "%01", "%7F", "%0A", "%0D%0A", "%FF", "%C0%AF", "%ED%A0%80",
            "%E2%80%AE", "%25", "'%3B%20DROP%20TABLE%20events%3B--", "%22%7D", "%5C", "%F0%9F%92%A5",
            "x".repeat(6_000));
    return Stream.of("subscriptions", "events", "deliveries")
        .flatMap(kind -> ids.stream().map(id -> Arguments.of("/v1/" + kind + "/" + id)));
  }

  @ParameterizedTest(name = "POST /v1/events with {0}")
  @MethodSource("eventBodies")
  void aHostileEventIsRefusedWithAProblemAndNothingIsWritten(String what, byte[] body) throws Exception {
    assertRefusedAndNothingWritten("/v1/events", body);
  }

  @ParameterizedTest(name = "POST /v1/subscriptions with {0}")
  @MethodSource("subscriptionBodies")
  void aHostileSubscriptionIsRefusedWithAProblemAndNothingIsWritten(String what, byte[] body)
      throws Exception {
    assertRefusedAndNothingWritten("/v1/subscriptions", body);
  }

  @ParameterizedTest(name = "PATCH a subscription with {0}")
  @MethodSource("subscriptionBodies")
  void aHostilePatchIsRefusedAndChangesNothing(String what, byte[] body) throws Exception {
    JsonNode before = herald.call("GET", "/v1/subscriptions/" + target, null).json();
    assertRefusedAndNothingWritten("PATCH", "/v1/subscriptions/" + target, body);
    assertThat(herald.call("GET", "/v1/subscriptions/" + target, null).json()).isEqualTo(before);
  }

  @ParameterizedTest(name = "rotate a secret with {0}")
  @MethodSource("rotationBodies")
  void aHostileRotationIsRefusedAndKeepsTheSecret(String what, byte[] body) throws Exception {
    JsonNode before = herald.call("GET", "/v1/subscriptions/" + target, null).json();
    assertRefusedAndNothingWritten("POST", "/v1/subscriptions/" + target + "/rotate-secret", body);
    assertThat(herald.call("GET", "/v1/subscriptions/" + target, null).json().get("updatedAt"))
        .isEqualTo(before.get("updatedAt"));
  }

  static Stream<Arguments> hostileListQueries() {
    Stream<String> deliveryFilters = Stream.of("subscriptionId=%00", "eventId=%FF", "status=%00",
        "status=HELD", "since=%00", "since=2026-13-45T99:00:00Z", "until=1e400",
        "since=" + "9".repeat(5_000), "subscriptionId=" + "s".repeat(5_000));
    return Stream.concat(
        hostileQueries().flatMap(q -> Stream.of(
            Arguments.of("/v1/subscriptions", q), Arguments.of("/v1/deliveries", q))),
        deliveryFilters.map(q -> Arguments.of("/v1/deliveries", q)));
  }

  @ParameterizedTest(name = "GET {0}?{1}")
  @MethodSource("hostileListQueries")
  void aHostileListQueryIsAProblemNeverA500(String list, String query) throws Exception {
    Answer a =
        RawHttp.send(herald.app.getLocalPort(),
            "GET " + list + "?" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + herald.apiKey,
            null);
    assertClientProblem(a);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("hostileIdsOnWrites")
  void aHostileIdOnAWriteIsAProblemNeverA500(String method, String path) throws Exception {
    assertRefusedAndNothingWritten(method, path, "{}".getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "GET {0}")
  @MethodSource("hostileIds")
  void aHostilePathIdIsAProblemNeverA500(String path) throws Exception {
    Answer a =
        RawHttp.send(herald.app.getLocalPort(),
            "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + herald.apiKey,
            null);
    assertClientProblem(a);
  }

  @Test
  void charactersTheDatabaseCannotHoldAreInvalidWithAPointer() throws Exception {
    assertInvalidAt(herald.call("POST", "/v1/events",
        "{\"type\":\"a\",\"data\":{},\"attributes\":{\"k\":\"v\\u0000\"}}"), "/attributes/k");
    assertInvalidAt(herald.call("POST", "/v1/events",
        "{\"type\":\"a\",\"data\":{\"list\":[1,{\"x\":\"\\ud800\"}]}}"), "/data/list/1/x");
    assertInvalidAt(herald.call("POST", "/v1/subscriptions",
        SUB.replace("\"x\"", "\"x\\u0000\"") + "}"), "/name");
    assertInvalidAt(herald.call("POST", "/v1/subscriptions",
        SUB + ",\"filter\":{\"k\\u0000\":\"v\"}}"), "/filter/k\u0000");
  }

  private static void assertInvalidAt(HeraldHarness.Response r, String pointer) {
    assertThat(r.status()).as("%s", r.json()).isEqualTo(422);
    assertThat(r.json().get("code").asText()).isEqualTo("invalid_request");
    assertThat(r.json().get("errors").findValuesAsText("pointer")).containsExactly(pointer);
  }

  @Test
  void aNulCharacterInsideDataIsKeptAndReadBack() throws Exception {
    var published =
        herald.call("POST", "/v1/events",
            "{\"id\":\"evt_nul\",\"type\":\"a\",\"data\":{\"x\\u0000y\":\"a\\u0000b\\u0001\"}}");
    assertThat(published.status()).as("%s", published.json()).isEqualTo(202);
    JsonNode read = herald.call("GET", "/v1/events/evt_nul", null).json();
    assertThat(read.get("data").get("x\u0000y").asText()).isEqualTo("a\u0000b\u0001");
  }

  @Test
  void numbersInDataAreKeptAsWritten() throws Exception {
    var published =
        herald.call("POST", "/v1/events",
            "{\"id\":\"evt_numbers\",\"type\":\"a\",\"data\":{\"huge\":1e400,\"tiny\":1e-400,"
                + "\"big\":99999999999999999999999,\"price\":19.90,\"negativeZero\":-0.0}}");
    assertThat(published.status()).as("%s", published.json()).isEqualTo(202);
    Answer read =
        RawHttp.send(herald.app.getLocalPort(),
            "GET /v1/events/evt_numbers HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + herald.apiKey,
            null);
    // Read as the receiver would, with every decimal kept exact.
    JsonNode data =
        new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .readTree(read.body())
            .get("data");
    assertThat(data.get("huge").decimalValue()).isEqualByComparingTo("1e400");
    assertThat(data.get("tiny").decimalValue()).isEqualByComparingTo("1e-400");
    assertThat(data.get("big").bigIntegerValue()).hasToString("99999999999999999999999");
    assertThat(data.get("price").decimalValue()).isEqualByComparingTo("19.90");
  }

  @Test
  void dataNestedUpToTheLimitIsAccepted() throws Exception {
    String nested = "[".repeat(900) + "]".repeat(900);
    var published =
        herald.call("POST", "/v1/events",
            "{\"id\":\"evt_deep\",\"type\":\"a\",\"data\":{\"x\":" + nested + "}}");
    assertThat(published.status()).as("%s", published.json()).isEqualTo(202);
    assertThat(herald.call("GET", "/v1/events/evt_deep", null).status()).isEqualTo(200);
  }

  private static void assertRefusedAndNothingWritten(String path, byte[] body) throws Exception {
    assertRefusedAndNothingWritten("POST", path, body);
  }

  private static void assertRefusedAndNothingWritten(String method, String path, byte[] body)
      throws Exception {
    long events = count("events");
    long subscriptions = count("subscriptions");
    Answer a =
        RawHttp.send(herald.app.getLocalPort(),
            method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + herald.apiKey,
            body);
    assertClientProblem(a);
    assertThat(count("events")).as("events written").isEqualTo(events);
    assertThat(count("subscriptions")).as("subscriptions written").isEqualTo(subscriptions);
  }

  private static void assertClientProblem(Answer a) throws Exception {
    assertThat(a.status()).as("%s", a).isBetween(400, 499);
    assertThat(a.contentType()).as("%s", a).startsWith("application/problem+json");
    JsonNode json = a.json();
    assertThat(json.path("code").asText()).as("%s", a).isNotBlank();
    assertThat(json.path("status").asInt()).as("%s", a).isEqualTo(a.status());
  }

  private static long count(String table) {
    return herald.database.jdbi()
        .withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
  }

  private static Arguments body(String what, String json) {
    return Arguments.of(what, json.getBytes(StandardCharsets.UTF_8));
  }

  private static Arguments bytes(String what, String before, byte[] raw, String after) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(raw);
    out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
    return Arguments.of(what, out.toByteArray());
  }
}
