package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.tenant.Scope;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import dev.herald.testing.receiver.RecordedRequest;
import dev.herald.worker.e2e.HeraldHarness.Response;
import io.dropwizard.testing.ConfigOverride;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A paused subscription loses nothing: its deliveries wait as {@code held}, nothing reaches the
 * endpoint, and unpausing releases them oldest first at the configured rate.
 */
class PauseAndReleaseTest {

  /** Fast enough for a test, slow enough that a backlog of thousands takes measurable time. */
  private static final int RATE = 200;

  private static HeraldHarness herald;
  private static int tenants;
  private LoopbackReceiver receiver;
  private String key;

  @BeforeAll
  static void start() throws Exception {
    herald = new HeraldHarness(ConfigOverride.config("delivery.releaseRatePerSecond", Integer.toString(RATE)));
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @BeforeEach
  void tenantAndReceiver() {
    key = herald.newTenantKey("pause-" + ++tenants, null, Scope.all());
    receiver = LoopbackReceiver.start();
    receiver.setDefault(ReceiverResponse.status(204));
  }

  @AfterEach
  void closeReceiver() {
    receiver.close();
  }

  @Test
  void aDeliveryPublishedWhilePausedIsHeldAndArrivesAfterUnpausing() throws Exception {
    String id = subscribe("{\"name\":\"p\",\"url\":\"" + receiver.url() + "\",\"events\":[\"*\"]}");
    assertThat(call("PATCH", "/v1/subscriptions/" + id, "{\"isPaused\":true}").json().get("isPaused").asBoolean())
        .isTrue();
    call("POST", "/v1/events", "{\"id\":\"evt_paused\",\"type\":\"order.paid\",\"data\":{\"n\":1}}");
    String deliveryId = call("GET", "/v1/events/evt_paused", null).json().get("deliveries").get(0).get("id").asText();
    assertThat(call("GET", "/v1/deliveries/" + deliveryId, null).json().get("status").asText()).isEqualTo("held");
    // The sweeper runs every second in this harness; a held delivery must stay untouched.
    Thread.sleep(3000);
    assertThat(receiver.requests()).isEmpty();
    assertThat(call("GET", "/v1/deliveries/" + deliveryId, null).json().get("status").asText()).isEqualTo("held");

    assertThat(call("PATCH", "/v1/subscriptions/" + id, "{\"isPaused\":false}").status()).isEqualTo(200);
    RecordedRequest arrived = receiver.takeRequest(Duration.ofSeconds(20));
    assertThat(arrived).as("the held delivery arrives after unpausing").isNotNull();
    assertThat(arrived.header("webhook-id")).isEqualTo("evt_paused");
    assertThat(arrived.header("herald-attempt")).isEqualTo("1");
    herald.awaitJson("/v1/deliveries/" + deliveryId, d -> d.get("status").asText().equals("succeeded"),
        Duration.ofSeconds(10), key);
  }

  @Test
  void anInFlightDeliveryIsHeldAtItsNextAttemptAndGoesOnAfterUnpausing() throws Exception {
    receiver.enqueue(ReceiverResponse.status(503));
    String id = subscribe("{\"name\":\"p\",\"url\":\"" + receiver.url() + "\",\"events\":[\"*\"],"
        + "\"retrySchedule\":[2,2]}");
    call("POST", "/v1/events", "{\"id\":\"evt_inflight\",\"type\":\"order.paid\",\"data\":{}}");
    assertThat(receiver.takeRequest(Duration.ofSeconds(20))).isNotNull();
    String deliveryId = call("GET", "/v1/events/evt_inflight", null).json().get("deliveries").get(0).get("id").asText();
    herald.awaitJson("/v1/deliveries/" + deliveryId, d -> d.get("status").asText().equals("retrying"),
        Duration.ofSeconds(10), key);
    call("PATCH", "/v1/subscriptions/" + id, "{\"isPaused\":true}");

    // The retry was due 2 s after the first attempt: it finds the subscription paused.
    JsonNode held = herald.awaitJson("/v1/deliveries/" + deliveryId,
        d -> d.get("status").asText().equals("held"), Duration.ofSeconds(15), key);
    assertThat(held.get("attemptCount").asInt()).isEqualTo(1);
    assertThat(receiver.requests()).hasSize(1);

    call("PATCH", "/v1/subscriptions/" + id, "{\"isPaused\":false}");
    RecordedRequest second = receiver.takeRequest(Duration.ofSeconds(20));
    assertThat(second).isNotNull();
    assertThat(second.header("herald-attempt")).isEqualTo("2");
    JsonNode done = herald.awaitJson("/v1/deliveries/" + deliveryId,
        d -> d.get("status").asText().equals("succeeded"), Duration.ofSeconds(10), key);
    assertThat(done.get("attempts")).hasSize(2);
  }

  @Test
  void aHeldDeliveryWhoseScheduleWasShortenedBelowItsAttemptsGetsExactlyOneMore() throws Exception {
    receiver.enqueue(ReceiverResponse.status(503));
    receiver.enqueue(ReceiverResponse.status(503));
    receiver.enqueue(ReceiverResponse.status(503));
    String id = subscribe("{\"name\":\"p\",\"url\":\"" + receiver.url() + "\",\"events\":[\"*\"],"
        + "\"retrySchedule\":[1,2,2]}");
    call("POST", "/v1/events", "{\"id\":\"evt_shortened\",\"type\":\"order.paid\",\"data\":{}}");
    String deliveryId = call("GET", "/v1/events/evt_shortened", null).json().get("deliveries").get(0).get("id").asText();
    herald.awaitJson("/v1/deliveries/" + deliveryId,
        d -> d.get("attemptCount").asInt() == 2 && d.get("status").asText().equals("retrying"),
        Duration.ofSeconds(15), key);
    call("PATCH", "/v1/subscriptions/" + id, "{\"isPaused\":true}");
    JsonNode held = herald.awaitJson("/v1/deliveries/" + deliveryId,
        d -> d.get("status").asText().equals("held"), Duration.ofSeconds(15), key);
    assertThat(held.get("attemptCount").asInt()).isEqualTo(2);
    // Two attempts made; the schedule now allows two in all.
    assertThat(call("PATCH", "/v1/subscriptions/" + id, "{\"retrySchedule\":[1]}").status()).isEqualTo(200);

    call("PATCH", "/v1/subscriptions/" + id, "{\"isPaused\":false}");
    List<RecordedRequest> arrived = receiver.awaitRequests(3, Duration.ofSeconds(20));
    assertThat(arrived).as("the released delivery is attempted once more").hasSize(3);
    assertThat(arrived).extracting(r -> r.header("herald-attempt")).containsExactly("1", "2", "3");
    JsonNode done = herald.awaitJson("/v1/deliveries/" + deliveryId,
        d -> d.get("status").asText().equals("failed"), Duration.ofSeconds(10), key);
    assertThat(done.get("attemptCount").asInt()).isEqualTo(3);
    assertThat(done.get("attempts")).hasSize(3);
    assertThat(done.get("attempts").get(2).get("statusCode").asInt()).isEqualTo(503);
    assertThat(done.get("nextAttemptAt").isNull()).isTrue();
    // Exactly one: no fourth attempt follows.
    Thread.sleep(3000);
    assertThat(receiver.requests()).hasSize(3);
  }

  @Test
  void aBacklogOfThousandsIsReleasedOldestFirstAtTheConfiguredRate() throws Exception {
    int backlog = 2000;
    String id = subscribe("{\"name\":\"backlog\",\"url\":\"" + receiver.url() + "\",\"events\":[\"*\"]}");
    call("PATCH", "/v1/subscriptions/" + id, "{\"isPaused\":true}");
    ExecutorService publishers = Executors.newFixedThreadPool(4);
    List<Future<Response>> published = new ArrayList<>();
    for (int i = 0; i < backlog; i++) {
      String body = "{\"id\":\"evt_backlog_" + i + "\",\"type\":\"order.paid\",\"data\":{\"n\":" + i + "}}";
      published.add(publishers.submit(() -> call("POST", "/v1/events", body)));
    }
    for (Future<Response> f : published) {
      assertThat(f.get().status()).isEqualTo(202);
    }
    publishers.shutdown();
    assertThat(receiver.requests()).isEmpty();

    Instant unpaused = Instant.now();
    call("PATCH", "/v1/subscriptions/" + id, "{\"isPaused\":false}");
    List<RecordedRequest> arrived = receiver.awaitRequests(backlog, Duration.ofSeconds(120));
    Duration took = Duration.between(unpaused, arrived.stream().map(RecordedRequest::arrivedAt)
        .max(Comparator.naturalOrder()).orElseThrow());

    Set<String> ids = new HashSet<>();
    arrived.forEach(r -> ids.add(r.header("webhook-id")));
    assertThat(ids).as("every held delivery arrives exactly once").hasSize(backlog);
    assertThat(arrived).hasSize(backlog);
    // At most RATE are released per second, so the k-th arrival cannot come before (k / RATE - 1) s.
    List<Instant> times = arrived.stream().map(RecordedRequest::arrivedAt).sorted().toList();
    for (int k = RATE * 2; k < times.size(); k += RATE) {
      assertThat(Duration.between(unpaused, times.get(k - 1)))
          .as("arrival %d of %d", k, backlog)
          .isGreaterThanOrEqualTo(Duration.ofMillis(1000L * k / RATE - 1000));
    }
    // Oldest first: the earliest arrivals are from the first half of the backlog.
    List<Integer> firstArrivals = arrived.stream()
        .sorted(Comparator.comparing(RecordedRequest::arrivedAt)).limit(100)
        .map(r -> Integer.parseInt(r.header("webhook-id").substring("evt_backlog_".length()))).toList();
    assertThat(firstArrivals).allMatch(n -> n < backlog / 2);
    System.out.printf("released %d held deliveries at %d/s in %.1f s (%.0f per second)%n", backlog, RATE,
        took.toMillis() / 1000.0, backlog * 1000.0 / took.toMillis());
  }

  private String subscribe(String body) throws Exception {
    Response r = call("POST", "/v1/subscriptions", body);
    assertThat(r.status()).isEqualTo(201);
    return r.json().get("id").asText();
  }

  private Response call(String method, String path, String body) throws Exception {
    return herald.call(method, path, body, key, "application/json");
  }
}
