package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import dev.herald.testing.receiver.RecordedRequest;
import dev.herald.worker.e2e.HeraldHarness.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Strict order per key, through HTTP: a subscription with {@code ordering}, concurrent
 * publishers, an endpoint that fails at random, and the order the endpoint saw each key's events
 * succeed compared with the order their publishes committed (the feed's).
 */
class OrderedDeliveryEndToEndTest {

  /** Events of the big run: {@code -Dherald.ordering.events=N}, 1,000 unless told otherwise. */
  private static final int EVENTS = Integer.getInteger("herald.ordering.events", 1000);
  private static final int KEYS = 10;
  private static final int PUBLISHERS = 8;
  private static final double FAILURE_RATE = 0.3;

  private static HeraldHarness herald;
  private LoopbackReceiver receiver;

  @BeforeAll
  static void start() throws Exception {
    herald = new HeraldHarness();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @BeforeEach
  void receiver() {
    receiver = LoopbackReceiver.start();
  }

  @AfterEach
  void closeReceiver() {
    receiver.close();
  }

  /** One request as the endpoint answered it. */
  private record Answered(String eventId, String key, int attempt, boolean succeeded, long atNanos) {}

  @Test
  void eachKeysEventsSucceedInCommitOrderUnderConcurrentPublishersAndRandomFailures()
      throws Exception {
    List<Answered> answered = new ArrayList<>();
    receiver.setDefault(request -> {
      boolean ok = ThreadLocalRandom.current().nextDouble() >= FAILURE_RATE;
      synchronized (answered) {
        answered.add(answer(request, ok));
      }
      return ReceiverResponse.status(ok ? 204 : 503);
    });
    JsonNode sub = subscribe("{\"name\":\"ordered\",\"url\":\"" + receiver.url("/ordered")
        + "\",\"events\":[\"ordered.*\"],\"retrySchedule\":[1,1,1,1,1,1,1,1],"
        + "\"ordering\":{\"key\":\"attributes.account\"}}");
    assertThat(sub.get("ordering").toString()).isEqualTo("{\"key\":\"account\"}");

    long started = System.nanoTime();
    AtomicInteger next = new AtomicInteger();
    ExecutorService publishers = Executors.newFixedThreadPool(PUBLISHERS);
    List<Future<?>> done = new ArrayList<>();
    for (int p = 0; p < PUBLISHERS; p++) {
      done.add(publishers.submit(() -> {
        for (int i = next.getAndIncrement(); i < EVENTS; i = next.getAndIncrement()) {
          String key = "acct_" + (i % KEYS);
          publish("{\"id\":\"evt_ord_" + i + "\",\"type\":\"ordered.changed\","
              + "\"data\":{\"i\":" + i + "},\"attributes\":{\"account\":\"" + key + "\"}}");
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get(5, TimeUnit.MINUTES);
    }
    publishers.shutdown();
    double publishSeconds = (System.nanoTime() - started) / 1e9;

    String subscriptionId = sub.get("id").asText();
    awaitAllEnded(subscriptionId, EVENTS, Duration.ofMinutes(15));
    double totalSeconds = (System.nanoTime() - started) / 1e9;

    Map<String, List<String>> committed = committedOrderByKey("ordered.*");
    List<Answered> log;
    synchronized (answered) {
      log = List.copyOf(answered);
    }
    Map<String, String> failed = endedWithout(subscriptionId);
    long failures = log.stream().filter(a -> !a.succeeded()).count();
    System.out.printf("ordered delivery: %d events over %d keys by %d publishers, published in"
            + " %.1f s, all ended in %.1f s; %d requests, %d answered 503, %d deliveries failed"
            + " for good%n",
        EVENTS, KEYS, PUBLISHERS, publishSeconds, totalSeconds, log.size(), failures,
        failed.size());

    assertThat(committed.values().stream().mapToInt(List::size).sum()).isEqualTo(EVENTS);
    for (Map.Entry<String, List<String>> k : committed.entrySet()) {
      List<String> order = k.getValue();
      List<Answered> ofKey = log.stream().filter(a -> a.key().equals(k.getKey())).toList();
      // The first success of each event, in the order the endpoint saw them.
      List<String> successes = ofKey.stream().filter(Answered::succeeded)
          .map(Answered::eventId).distinct().toList();
      List<String> expected = order.stream().filter(id -> !failed.containsKey(id)).toList();
      assertThat(successes).as("first successes of %s in commit order", k.getKey())
          .isEqualTo(expected);
      // Stricter: no request of an event before the last request of the event committed before
      // it, so each event's first attempt waited for the previous one to end.
      Map<String, Integer> index = new HashMap<>();
      for (int i = 0; i < order.size(); i++) {
        index.put(order.get(i), i);
      }
      int highest = -1;
      for (Answered a : ofKey) {
        int at = index.get(a.eventId());
        assertThat(at).as("request of %s (attempt %d) after a later event of %s was sent",
            a.eventId(), a.attempt(), k.getKey()).isGreaterThanOrEqualTo(highest);
        highest = at;
      }
    }
  }

  @Test
  void aKeyWhoseDeliveriesFailHoldsBackOnlyItself() throws Exception {
    AtomicBoolean stuckFails = new AtomicBoolean(true);
    List<Answered> answered = new ArrayList<>();
    receiver.setDefault(request -> {
      String eventId = request.header("webhook-id");
      // The first event of the key "stuck" fails for good; its second fails while the flag holds.
      boolean ok = !eventId.equals("evt_stuck_1")
          && !(eventId.equals("evt_stuck_2") && stuckFails.get());
      synchronized (answered) {
        answered.add(answer(request, ok));
      }
      return ReceiverResponse.status(ok ? 204 : 503);
    });
    JsonNode sub = subscribe("{\"name\":\"isolated\",\"url\":\"" + receiver.url("/isolated")
        + "\",\"events\":[\"isolated.*\"],\"retrySchedule\":[2,2,2],"
        + "\"ordering\":{\"key\":\"account\"}}");
    String subscriptionId = sub.get("id").asText();

    for (int n = 1; n <= 3; n++) {
      publish(isolated("evt_stuck_" + n, "stuck"));
    }
    for (int n = 1; n <= 5; n++) {
      publish(isolated("evt_free_" + n, "free"));
    }

    // The free key's events all arrive while the stuck key is still failing its first event.
    herald.awaitJson("/v1/deliveries?subscriptionId=" + subscriptionId + "&status=succeeded",
        page -> page.get("data").size() >= 5, Duration.ofSeconds(30));
    List<Answered> meanwhile = snapshot(answered);
    assertThat(meanwhile.stream().filter(a -> a.key().equals("free") && a.succeeded())
        .map(Answered::eventId).toList())
        .containsExactly("evt_free_1", "evt_free_2", "evt_free_3", "evt_free_4", "evt_free_5");
    assertThat(meanwhile.stream().filter(a -> a.key().equals("stuck"))
        .map(Answered::eventId).distinct().toList())
        .as("the stuck key has not gone past its first event").containsExactly("evt_stuck_1");

    // evt_stuck_1 fails for good after its 4 attempts; the key goes on with evt_stuck_2, which
    // keeps failing while the flag holds, and evt_stuck_3 waits behind it.
    awaitAnswers(answered, a -> a.eventId().equals("evt_stuck_2"), Duration.ofSeconds(30));
    stuckFails.set(false);
    awaitAnswers(answered, a -> a.eventId().equals("evt_stuck_3") && a.succeeded(),
        Duration.ofSeconds(30));

    List<Answered> stuck = snapshot(answered).stream().filter(a -> a.key().equals("stuck")).toList();
    List<Answered> first = stuck.stream().filter(a -> a.eventId().equals("evt_stuck_1")).toList();
    assertThat(first).hasSize(4).noneMatch(Answered::succeeded);
    long secondStarts = stuck.stream().filter(a -> a.eventId().equals("evt_stuck_2"))
        .mapToLong(Answered::atNanos).min().orElseThrow();
    assertThat(secondStarts).as("evt_stuck_2 starts after evt_stuck_1's last attempt")
        .isGreaterThan(first.get(3).atNanos());
    assertThat(stuck.stream().map(Answered::eventId).distinct().toList())
        .containsExactly("evt_stuck_1", "evt_stuck_2", "evt_stuck_3");
    JsonNode firstDelivery = herald.call("GET", "/v1/events/evt_stuck_1", null).json()
        .get("deliveries").get(0);
    assertThat(firstDelivery.get("status").asText()).isEqualTo("failed");
  }

  @Test
  void aPausedSubscriptionHoldsItsKeysAndResumingSendsThemInOrder() throws Exception {
    receiver.setDefault(ReceiverResponse.status(204));
    JsonNode sub = subscribe("{\"name\":\"paused\",\"url\":\"" + receiver.url()
        + "\",\"events\":[\"paused.*\"],\"ordering\":{\"key\":\"account\"}}");
    String path = "/v1/subscriptions/" + sub.get("id").asText();
    assertThat(herald.call("PATCH", path, "{\"isPaused\":true}").status()).isEqualTo(200);
    for (int n = 1; n <= 5; n++) {
      publish("{\"id\":\"evt_paused_" + n + "\",\"type\":\"paused.changed\",\"data\":{},"
          + "\"attributes\":{\"account\":\"acct_p\"}}");
    }
    herald.awaitJson("/v1/deliveries?subscriptionId=" + sub.get("id").asText() + "&status=held",
        page -> page.get("data").size() == 5, Duration.ofSeconds(10));
    Thread.sleep(1000);
    assertThat(receiver.requests()).as("nothing goes out while paused").isEmpty();

    assertThat(herald.call("PATCH", path, "{\"isPaused\":false}").status()).isEqualTo(200);
    List<RecordedRequest> arrived = receiver.awaitRequests(5, Duration.ofSeconds(30));
    assertThat(arrived.stream().map(r -> r.header("webhook-id")).toList())
        .containsExactly("evt_paused_1", "evt_paused_2", "evt_paused_3", "evt_paused_4",
            "evt_paused_5");
  }

  @Test
  void cancellingTheKeysCurrentDeliveryLetsTheNextGo() throws Exception {
    receiver.setDefault(request -> ReceiverResponse.status(
        request.header("webhook-id").equals("evt_cancel_1") ? 503 : 204));
    JsonNode sub = subscribe("{\"name\":\"cancel\",\"url\":\"" + receiver.url()
        + "\",\"events\":[\"cancel.*\"],\"retrySchedule\":[600],"
        + "\"ordering\":{\"key\":\"account\"}}");
    for (int n = 1; n <= 3; n++) {
      publish("{\"id\":\"evt_cancel_" + n + "\",\"type\":\"cancel.changed\",\"data\":{},"
          + "\"attributes\":{\"account\":\"acct_c\"}}");
    }
    RecordedRequest first = receiver.takeRequest(Duration.ofSeconds(20));
    assertThat(first.header("webhook-id")).isEqualTo("evt_cancel_1");
    // It waits 600 s for its retry, and the key waits behind it.
    Thread.sleep(1500);
    assertThat(receiver.requests()).hasSize(1);
    // Retrying one that waits its turn leaves it in its place.
    String third = herald.call("GET", "/v1/events/evt_cancel_3", null).json()
        .get("deliveries").get(0).get("id").asText();
    assertThat(herald.call("POST", "/v1/deliveries/" + third + "/retry", null).status())
        .isEqualTo(202);
    Thread.sleep(1000);
    assertThat(receiver.requests()).hasSize(1);

    Response cancelled = herald.call("POST", "/v1/deliveries/"
        + first.header("herald-delivery-id") + "/cancel", null);
    assertThat(cancelled.status()).isEqualTo(202);
    List<RecordedRequest> arrived = receiver.awaitRequests(3, Duration.ofSeconds(20));
    assertThat(arrived.stream().map(r -> r.header("webhook-id")).toList())
        .containsExactly("evt_cancel_1", "evt_cancel_2", "evt_cancel_3");
    herald.awaitJson("/v1/deliveries/" + first.header("herald-delivery-id"),
        d -> d.get("status").asText().equals("cancelled"), Duration.ofSeconds(10));
    assertThat(sub.get("id").asText()).startsWith("sub_");
  }

  @Test
  void eventsWithoutTheAttributeGoUnordered() throws Exception {
    receiver.setDefault(ReceiverResponse.status(204));
    subscribe("{\"name\":\"partly\",\"url\":\"" + receiver.url() + "\",\"events\":[\"partly.*\"],"
        + "\"ordering\":{\"key\":\"account\"}}");
    Response published = publish("{\"id\":\"evt_partly_1\",\"type\":\"partly.done\",\"data\":{}}");
    assertThat(published.json().get("deliveries").asInt()).isEqualTo(1);
    RecordedRequest request = receiver.takeRequest(Duration.ofSeconds(20));
    assertThat(request.header("webhook-id")).isEqualTo("evt_partly_1");
  }

  @Test
  void orderingIsValidatedShownAndChangedThroughTheApi() throws Exception {
    String base = "{\"name\":\"v\",\"url\":\"" + receiver.url() + "\",\"events\":[\"v.*\"],";
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put("\"ordering\":\"account\"}", "/ordering");
    refused.put("\"ordering\":{}}", "/ordering/key");
    refused.put("\"ordering\":{\"key\":5}}", "/ordering/key");
    refused.put("\"ordering\":{\"key\":\"\"}}", "/ordering/key");
    refused.put("\"ordering\":{\"key\":\"attributes.\"}}", "/ordering/key");
    refused.put("\"ordering\":{\"key\":\"" + "k".repeat(257) + "\"}}", "/ordering/key");
    refused.put("\"ordering\":{\"key\":\"a\",\"by\":\"time\"}}", "/ordering/by");
    for (Map.Entry<String, String> r : refused.entrySet()) {
      Response answer = herald.call("POST", "/v1/subscriptions", base + r.getKey());
      assertThat(answer.status()).as("%s", r.getKey()).isEqualTo(422);
      assertThat(answer.contentType()).startsWith("application/problem+json");
      assertThat(answer.json().get("code").asText()).isEqualTo("invalid_request");
      assertThat(answer.json().get("errors").get(0).get("pointer").asText())
          .as("%s", r.getKey()).isEqualTo(r.getValue());
    }

    JsonNode unordered = subscribe(base + "\"ordering\":null}");
    assertThat(unordered.get("ordering").isNull()).isTrue();
    JsonNode created = subscribe(base + "\"ordering\":{\"key\":\"account\"}}");
    String path = "/v1/subscriptions/" + created.get("id").asText();
    assertThat(herald.call("GET", path, null).json().get("ordering").toString())
        .isEqualTo("{\"key\":\"account\"}");
    Response renamed = herald.call("PATCH", path, "{\"ordering\":{\"key\":\"attributes.region\"}}");
    assertThat(renamed.status()).isEqualTo(200);
    assertThat(renamed.json().get("ordering").toString()).isEqualTo("{\"key\":\"region\"}");
    Response bad = herald.call("PATCH", path, "{\"ordering\":{\"key\":[]}}");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.json().get("errors").get(0).get("pointer").asText()).isEqualTo("/ordering/key");
    Response name = herald.call("PATCH", path, "{\"name\":\"renamed\"}");
    assertThat(name.json().get("ordering").toString()).as("kept by a PATCH that does not name it")
        .isEqualTo("{\"key\":\"region\"}");
    Response off = herald.call("PATCH", path, "{\"ordering\":null}");
    assertThat(off.json().get("ordering").isNull()).isTrue();
  }

  private static String isolated(String id, String key) {
    return "{\"id\":\"" + id + "\",\"type\":\"isolated.changed\",\"data\":{},"
        + "\"attributes\":{\"account\":\"" + key + "\"}}";
  }

  private static Answered answer(RecordedRequest request, boolean ok) {
    String eventId = request.header("webhook-id");
    JsonNode body;
    try {
      body = HeraldHarness.JSON.readTree(request.body());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    String key = eventId.startsWith("evt_ord_")
        ? "acct_" + (body.get("data").get("i").asInt() % KEYS)
        : eventId.startsWith("evt_stuck_") ? "stuck" : "free";
    return new Answered(eventId, key, Integer.parseInt(request.header("herald-attempt")), ok,
        System.nanoTime());
  }

  private static List<Answered> snapshot(List<Answered> answered) {
    synchronized (answered) {
      return List.copyOf(answered);
    }
  }

  private static void awaitAnswers(List<Answered> answered,
      java.util.function.Predicate<Answered> condition, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (snapshot(answered).stream().noneMatch(condition)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("no such request within " + timeout + ": " + snapshot(answered));
      }
      Thread.sleep(50);
    }
  }

  /** Each key's event ids in feed order, the order their publishes committed. */
  private static Map<String, List<String>> committedOrderByKey(String type) throws Exception {
    Map<String, List<String>> byKey = new LinkedHashMap<>();
    String after = null;
    while (true) {
      JsonNode page = herald.call("GET", "/v1/events?type=" + type + "&limit=100"
          + (after == null ? "" : "&after=" + after), null).json();
      if (page.get("data").isEmpty()) {
        return byKey;
      }
      for (JsonNode e : page.get("data")) {
        byKey.computeIfAbsent(e.get("attributes").get("account").asText(), k -> new ArrayList<>())
            .add(e.get("id").asText());
      }
      after = page.get("nextCursor").asText();
    }
  }

  /** Polls PostgreSQL until the subscription's deliveries have all ended. */
  private static void awaitAllEnded(String subscriptionId, int count, Duration timeout)
      throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    long ended = 0;
    while (Instant.now().isBefore(deadline)) {
      ended = herald.database.jdbi().withHandle(h -> h.createQuery(
              "SELECT count(*) FROM deliveries WHERE subscription_id = :s"
                  + " AND status IN ('succeeded', 'failed', 'cancelled')")
          .bind("s", subscriptionId).mapTo(Long.class).one());
      if (ended == count) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(ended + " of " + count + " deliveries ended within " + timeout);
  }

  /** The event ids of the subscription's deliveries that ended without succeeding. */
  private static Map<String, String> endedWithout(String subscriptionId) {
    Map<String, String> out = new HashMap<>();
    herald.database.jdbi().useHandle(h -> h.createQuery(
            "SELECT event_id, status FROM deliveries WHERE subscription_id = :s"
                + " AND status <> 'succeeded'")
        .bind("s", subscriptionId)
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
        .forEach(e -> out.put(e.getKey(), e.getValue())));
    return out;
  }

  private static JsonNode subscribe(String body) throws Exception {
    Response r = herald.call("POST", "/v1/subscriptions", body);
    assertThat(r.status()).as("create subscription: %s", r.json()).isEqualTo(201);
    return r.json();
  }

  private static Response publish(String body) throws Exception {
    Response r = herald.call("POST", "/v1/events", body);
    assertThat(r.status()).as("publish: %s", r.json()).isEqualTo(202);
    return r;
  }
}
