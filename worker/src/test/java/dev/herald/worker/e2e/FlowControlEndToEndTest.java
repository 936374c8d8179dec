package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.tenant.Scope;
import dev.herald.testing.db.TestDatabase;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import dev.herald.testing.receiver.RecordedRequest;
import dev.herald.worker.dev.DevTemporal;
import io.dropwizard.testing.ConfigOverride;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Flow control through HTTP, with two Herald processes (API and worker each) on one database and
 * one Temporal server, as two replicas run: {@code maxConcurrency} and {@code rateLimit} hold
 * across both, a 429 with {@code Retry-After} holds the endpoint's other deliveries, waits use no
 * attempt and show on the delivery.
 */
@Timeout(120)
class FlowControlEndToEndTest {

  private static TestDatabase database;
  private static DevTemporal temporal;
  private static HeraldHarness first;
  private static HeraldHarness second;
  private static int tenants;
  private String key;
  private LoopbackReceiver receiver;

  @BeforeAll
  static void start() throws Exception {
    database = TestDatabase.create();
    temporal = DevTemporal.inMemory(0);
    // Each worker's own share for one endpoint is out of the way: the subscription's limits,
    // held in PostgreSQL, are what is tested.
    ConfigOverride share = ConfigOverride.config("delivery.maxAttemptsPerEndpoint", "100");
    first = HeraldHarness.sharing(database, temporal, share);
    second = HeraldHarness.sharing(database, temporal, share);
  }

  @AfterAll
  static void stop() {
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
    temporal.close();
    database.close();
  }

  @BeforeEach
  void tenant() {
    key = first.newTenantKey("flow-" + ++tenants, null, Scope.all());
    receiver = LoopbackReceiver.start();
  }

  @AfterEach
  void closeReceiver() {
    receiver.close();
  }

  @Test
  void maxConcurrencyHoldsAcrossTwoProcessesAndWaitsUseNoAttempt() throws Exception {
    AtomicInteger most = answerAfter300MsCountingTheMostInFlight();
    String sub = subscribe("\"maxConcurrency\": 2");
    int events = 16;
    long started = System.nanoTime();
    // Published through both processes, so both start workflows.
    for (int i = 0; i < events; i++) {
      publish(i % 2 == 0 ? first : second, "evt_c" + i);
    }
    Set<String> reasons = ConcurrentHashMap.newKeySet();
    JsonNode list = awaitSucceeded(sub, events, reasons);

    assertThat(countSucceeded(list)).isEqualTo(events);
    assertThat(most.get()).as("requests in flight at once at the endpoint").isEqualTo(2);
    list.get("data").forEach(d -> {
      assertThat(d.get("attemptCount").asInt()).as("a wait is not an attempt").isEqualTo(1);
      assertThat(d.get("waiting").isNull()).isTrue();
    });
    assertThat(receiver.requests()).hasSize(events);
    assertThat(reasons).contains("maxConcurrency 2: 2 attempts in flight");
    System.out.printf("maxConcurrency 2: %d deliveries of 300 ms in %d ms (%d ms at best),"
            + " at most %d in flight at the endpoint%n",
        events, (System.nanoTime() - started) / 1_000_000, events / 2 * 300, most.get());
  }

  @Test
  void maxConcurrencyHoldsBatchRequestsAsOneAttemptEach() throws Exception {
    AtomicInteger most = answerAfter300MsCountingTheMostInFlight();
    String sub = subscribe("\"maxConcurrency\": 1, \"batch\": {\"maxEvents\": 2, \"maxWaitSeconds\": 1}");
    int events = 12;
    for (int i = 0; i < events; i++) {
      publish(i % 2 == 0 ? first : second, "evt_bc" + i);
    }
    Set<String> reasons = ConcurrentHashMap.newKeySet();
    JsonNode list = awaitSucceeded(sub, events, reasons);

    assertThat(countSucceeded(list)).isEqualTo(events);
    List<RecordedRequest> requests = receiver.requests();
    assertThat(requests.size()).as("batch requests").isBetween(6, events - 1);
    assertThat(requests).allSatisfy(r -> assertThat(r.header("webhook-id")).startsWith("bat_"));
    assertThat(most.get()).as("batch requests in flight at once at the endpoint").isEqualTo(1);
    list.get("data").forEach(d ->
        assertThat(d.get("attemptCount").asInt()).as("a wait is not an attempt").isEqualTo(1));
    System.out.printf("maxConcurrency 1 with batches of 2: %d events in %d requests, at most %d in"
        + " flight; waits seen: %s%n", events, requests.size(), most.get(), reasons);
  }

  @Test
  void aRateLimitSpacesAttemptsAcrossTwoProcesses() throws Exception {
    receiver.setDefault(ReceiverResponse.status(200));
    subscribe("\"rateLimit\": {\"perSecond\": 5}");
    int events = 15;
    for (int i = 0; i < events; i++) {
      publish(i % 2 == 0 ? first : second, "evt_r" + i);
    }

    List<RecordedRequest> arrived = receiver.awaitRequests(events, Duration.ofSeconds(60));

    List<Instant> at = arrived.stream().map(RecordedRequest::arrivedAt).sorted().toList();
    int mostInWindow = 0;
    for (int i = 0; i < at.size(); i++) {
      int n = 0;
      for (int j = i; j < at.size() && Duration.between(at.get(i), at.get(j)).toMillis() < 1000; j++) {
        n++;
      }
      mostInWindow = Math.max(mostInWindow, n);
    }
    long spanMs = Duration.between(at.get(0), at.get(at.size() - 1)).toMillis();
    System.out.printf("rateLimit 5/s: %d requests over %d ms, at most %d in any second%n",
        events, spanMs, mostInWindow);
    // Starts are reserved 200 ms apart and never made before their time; one that a busy worker
    // started late may arrive next to the one after it, so one more than the limit is allowed.
    assertThat(mostInWindow).isLessThanOrEqualTo(6);
    assertThat(spanMs).isGreaterThanOrEqualTo((events - 1) * 200L - 100);
    JsonNode list = call(first, "GET", "/v1/deliveries?limit=100", null).json();
    list.get("data").forEach(d -> assertThat(d.get("attemptCount").asInt()).isLessThanOrEqualTo(1));
  }

  @Test
  void a429WithRetryAfterHoldsTheEndpointsOtherDeliveriesWithoutUsingTheirAttempts() throws Exception {
    receiver.enqueue(ReceiverResponse.status(429).withHeader("Retry-After", "3"));
    receiver.setDefault(ReceiverResponse.status(200));
    subscribe("\"retrySchedule\": [1, 1, 1]");
    publish(first, "evt_busy");
    RecordedRequest refused = receiver.awaitRequests(1, Duration.ofSeconds(30)).get(0);
    // Once its 429 is recorded, the endpoint's other deliveries wait.
    first.awaitJson("/v1/events/evt_busy",
        e -> e.get("deliveries").get(0).get("status").asText().equals("retrying"),
        Duration.ofSeconds(10), key);

    for (int i = 0; i < 4; i++) {
      publish(i % 2 == 0 ? first : second, "evt_after" + i);
    }
    JsonNode waiting = first.awaitJson(
        "/v1/events/evt_after0", e -> e.get("deliveries").size() == 1, Duration.ofSeconds(10), key);
    String deliveryId = waiting.get("deliveries").get(0).get("id").asText();
    JsonNode held = awaitDelivery(deliveryId, d -> !d.get("waiting").isNull());
    assertThat(held.get("waiting").asText())
        .startsWith("the endpoint asked to wait (429 or 503 with Retry-After) until ");
    assertThat(held.get("status").asText()).isEqualTo("pending");
    assertThat(held.get("attemptCount").asInt()).isZero();

    List<RecordedRequest> all = receiver.awaitRequests(6, Duration.ofSeconds(30));

    for (RecordedRequest r : all.subList(1, all.size())) {
      assertThat(Duration.between(refused.arrivedAt(), r.arrivedAt()).toMillis())
          .as("after the 429's Retry-After of 3 s").isGreaterThanOrEqualTo(2900);
    }
    JsonNode done = awaitDelivery(deliveryId, d -> d.get("status").asText().equals("succeeded"));
    assertThat(done.get("attemptCount").asInt()).isEqualTo(1);
    assertThat(done.get("waiting").isNull()).isTrue();
  }

  @Test
  void theLimitsAreValidatedShownAndChangedByPatch() throws Exception {
    receiver.setDefault(ReceiverResponse.status(200));
    for (String bad : List.of("\"maxConcurrency\": 0", "\"maxConcurrency\": 1001",
        "\"maxConcurrency\": \"4\"", "\"rateLimit\": {\"perHour\": 5}",
        "\"rateLimit\": {\"perSecond\": 0}", "\"rateLimit\": {\"perSecond\": 1, \"perMinute\": 5}",
        "\"rateLimit\": 10", "\"rateLimit\": {\"perSecond\": null}")) {
      HeraldHarness.Response r = call(first, "POST", "/v1/subscriptions", body(bad));
      assertThat(r.status()).as(bad).isEqualTo(422);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.json().get("errors").get(0).get("pointer").asText()).as(bad)
          .matches("/(maxConcurrency|rateLimit)(/.*)?");
    }
    assertThat(call(first, "GET", "/v1/subscriptions", null).json().get("data")).isEmpty();

    String sub = subscribe("\"maxConcurrency\": 4, \"rateLimit\": {\"perMinute\": 600}");
    JsonNode shown = call(first, "GET", "/v1/subscriptions/" + sub, null).json();
    assertThat(shown.get("maxConcurrency").asInt()).isEqualTo(4);
    assertThat(shown.get("rateLimit").toString()).isEqualTo("{\"perMinute\":600}");

    JsonNode patched = call(second, "PATCH", "/v1/subscriptions/" + sub,
        "{\"rateLimit\": {\"perSecond\": 20}}").json();
    assertThat(patched.get("rateLimit").toString()).isEqualTo("{\"perSecond\":20}");
    assertThat(patched.get("maxConcurrency").asInt()).as("left as it was").isEqualTo(4);

    JsonNode cleared = call(first, "PATCH", "/v1/subscriptions/" + sub,
        "{\"maxConcurrency\": null, \"rateLimit\": null}").json();
    assertThat(cleared.get("maxConcurrency").isNull()).isTrue();
    assertThat(cleared.get("rateLimit").isNull()).isTrue();
  }

  private static int countSucceeded(JsonNode list) {
    int n = 0;
    for (JsonNode d : list.get("data")) {
      if (d.get("status").asText().equals("succeeded")) {
        n++;
      }
    }
    return n;
  }

  /** The receiver answers 204 after 300 ms; the figure is the most requests it held at once. */
  private AtomicInteger answerAfter300MsCountingTheMostInFlight() {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    receiver.setDefault(r -> {
      most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        inFlight.decrementAndGet();
      }
      return ReceiverResponse.status(204);
    });
    return most;
  }

  /**
   * Lists the subscription's deliveries until {@code events} succeeded (or a minute passed),
   * collecting every waiting reason seen on the way; the last list.
   */
  private JsonNode awaitSucceeded(String sub, int events, Set<String> reasons) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode list;
    do {
      list = call(first, "GET", "/v1/deliveries?subscriptionId=" + sub + "&limit=100", null).json();
      list.get("data").forEach(d -> {
        if (!d.get("waiting").isNull()) {
          reasons.add(d.get("waiting").asText());
        }
      });
      Thread.sleep(50);
    } while (countSucceeded(list) < events && System.nanoTime() < deadline);
    return list;
  }

  private JsonNode awaitDelivery(String id, java.util.function.Predicate<JsonNode> condition)
      throws Exception {
    return first.awaitJson("/v1/deliveries/" + id, condition, Duration.ofSeconds(30), key);
  }

  private String body(String extra) {
    return "{\"name\": \"flow\", \"url\": \"" + receiver.url("/hooks") + "\","
        + " \"events\": [\"order.*\"], " + extra + "}";
  }

  private String subscribe(String extra) throws Exception {
    HeraldHarness.Response created = call(first, "POST", "/v1/subscriptions", body(extra));
    assertThat(created.status()).as(created.json().toString()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  private void publish(HeraldHarness via, String id) throws Exception {
    HeraldHarness.Response r = call(via, "POST", "/v1/events",
        "{\"id\": \"" + id + "\", \"type\": \"order.paid\", \"data\": {\"n\": 1}}");
    assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(202);
  }

  private HeraldHarness.Response call(HeraldHarness via, String method, String path, String body)
      throws Exception {
    return via.call(method, path, body, key, "application/json");
  }
}
