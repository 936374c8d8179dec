package dev.herald.worker.e2e;

import static dev.herald.worker.e2e.ApiContractTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.worker.e2e.HeraldHarness.Response;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bounded input at its edge, through HTTP: the largest allowed value is accepted and one
 * more is a 422 whose error points at the field (or names the query parameter).
 */
class InputBoundsTest {

  private static final String URL = "http://127.0.0.1:9/hook";

  private static HeraldHarness herald;
  private static int serial;

  @BeforeAll
  static void start() throws Exception {
    herald = new HeraldHarness();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  /** What is bounded, the body at a given size, the bound, and where an error points. */
  record Bound(String what, String path, int max, IntFunction<ObjectNode> bodyOfSize, String pointer) {
    @Override
    public String toString() {
      return what + " ≤ " + max;
    }
  }

  static Stream<Bound> bounds() {
    return Stream.of(
        new Bound("subscription url length", "/v1/subscriptions", 2048,
            n -> subscription().put("url", URL + "/" + "u".repeat(n - URL.length() - 1)), "/url"),
        new Bound("subscription name length", "/v1/subscriptions", 200,
            n -> subscription().put("name", "n".repeat(n)), "/name"),
        new Bound("subscription event types", "/v1/subscriptions", 100,
            n -> withArray(subscription(), "events", n, i -> "type." + i), "/events"),
        new Bound("subscription headers", "/v1/subscriptions", 20,
            n -> withMap(subscription(), "headers", n, i -> "X-H" + i, i -> "v"), "/headers"),
        new Bound("subscription header name length", "/v1/subscriptions", 256,
            n -> withMap(subscription(), "headers", 1, i -> "X" + "h".repeat(n - 1), i -> "v"),
            "/headers"),
        new Bound("subscription header value length", "/v1/subscriptions", 1024,
            n -> withMap(subscription(), "headers", 1, i -> "X-Big", i -> "v".repeat(n)),
            "/headers/X-Big"),
        new Bound("subscription filter pairs", "/v1/subscriptions", 20,
            n -> withMap(subscription(), "filter", n, i -> "k" + i, i -> "v"), "/filter"),
        new Bound("subscription filter key length", "/v1/subscriptions", 256,
            n -> withMap(subscription(), "filter", 1, i -> "k".repeat(n), i -> "v"), "/filter"),
        new Bound("subscription filter value length", "/v1/subscriptions", 256,
            n -> withMap(subscription(), "filter", 1, i -> "k", i -> "v".repeat(n)), "/filter/k"),
        new Bound("event type length", "/v1/events", 128,
            n -> event().put("type", "t".repeat(n)), "/type"),
        new Bound("event id length", "/v1/events", 128,
            n -> event().put("id", uniqueId(n)), "/id"),
        new Bound("event attributes", "/v1/events", 20,
            n -> withMap(event(), "attributes", n, i -> "a" + i, i -> "v"), "/attributes"),
        new Bound("event attribute key length", "/v1/events", 256,
            n -> withMap(event(), "attributes", 1, i -> "a".repeat(n), i -> "v"), "/attributes"),
        new Bound("event attribute value length", "/v1/events", 256,
            n -> withMap(event(), "attributes", 1, i -> "a", i -> "v".repeat(n)), "/attributes/a"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bounds")
  void theLargestValueIsAcceptedAndOneMoreIsRefused(Bound bound) throws Exception {
    Response atMax = herald.call("POST", bound.path(), bound.bodyOfSize().apply(bound.max()).toString());
    assertThat(atMax.status()).as("%s at %d: %s", bound, bound.max(), atMax.json()).isBetween(200, 202);

    Response over = herald.call("POST", bound.path(), bound.bodyOfSize().apply(bound.max() + 1).toString());
    assertProblem(over, 422, "invalid_request");
    assertThat(over.json().get("errors"))
        .as("%s at %d", bound, bound.max() + 1)
        .extracting(e -> e.get("pointer").asText())
        .contains(bound.pointer());
  }

  static Stream<Arguments> lists() {
    return Stream.of("/v1/subscriptions", "/v1/deliveries", "/v1/notifications", "/v1/events")
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lists")
  void pageSizesRunFromOneToAHundred(String list) throws Exception {
    for (int limit : new int[] {1, 100}) {
      assertThat(herald.call("GET", list + "?limit=" + limit, null).status()).as("limit=%d", limit).isEqualTo(200);
    }
    for (String limit : new String[] {"0", "101", "-1", "99999999999"}) {
      Response r = herald.call("GET", list + "?limit=" + limit, null);
      assertProblem(r, 422, "invalid_request");
      assertThat(r.json().get("errors")).extracting(e -> e.get("parameter").asText()).contains("limit");
    }
  }

  private static ObjectNode subscription() {
    ObjectNode body = HeraldHarness.JSON.createObjectNode().put("name", "bounds").put("url", URL);
    body.putArray("events").add("order.paid");
    return body;
  }

  private static ObjectNode event() {
    ObjectNode body = HeraldHarness.JSON.createObjectNode().put("type", "order.paid");
    body.putObject("data").put("n", 1);
    return body;
  }

  private static ObjectNode withArray(ObjectNode body, String field, int n, IntFunction<String> item) {
    var array = body.putArray(field);
    IntStream.range(0, n).mapToObj(item).forEach(array::add);
    return body;
  }

  private static ObjectNode withMap(
      ObjectNode body, String field, int n, IntFunction<String> key, IntFunction<String> value) {
    ObjectNode map = body.putObject(field);
    IntStream.range(0, n).forEach(i -> map.put(key.apply(i), value.apply(i)));
    return body;
  }

  /** Ids must not repeat across rows: a reused id with another body is a 409. */
  private static synchronized String uniqueId(int length) {
    String prefix = "evt_" + ++serial + "_";
    return prefix + "x".repeat(length - prefix.length());
  }
}
