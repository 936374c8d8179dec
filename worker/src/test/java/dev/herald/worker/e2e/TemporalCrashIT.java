package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import dev.herald.testing.receiver.RecordedRequest;
import dev.herald.worker.e2e.HeraldHarness.Response;
import dev.herald.worker.temporal.TemporalCliServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Temporal server is killed (SIGKILL) while deliveries are on their way or wait in
 * backoff, events are published while it is down, and it is started again on the same SQLite
 * file: the API accepts every event meanwhile, within seconds, and each accepted event reaches the
 * receiver exactly once per attempt, its delivery ending succeeded. Herald's client and worker
 * reconnect by themselves; the sweeper starts the workflows that could not be started.
 */
class TemporalCrashIT {

  private static final int BATCH = 10;
  // A publish while Temporal is down waits about three seconds for it (TemporalConnection's
  // request client); it used to wait the SDK's minute per delivery.
  private static final long PUBLISH_WHILE_DOWN_MILLIS = 10_000;
  // Usually seconds. The worst case is Temporal's own recovery: a workflow task (which runs the
  // attempt, a local activity) that the server recorded as started just before it died, but that
  // never reached the worker, is retried once its 10 s timeout has passed; a delivery started
  // before attempts were local activities has an activity task, retried after its start-to-close
  // timeout (DeliveryWorkflowImpl.ATTEMPT_START_TO_CLOSE, 45 s). (Meanwhile the worker's pollers,
  // having failed while the server was down, back off for up to a minute.)
  private static final Duration DRAIN = Duration.ofSeconds(120);

  @TempDir Path directory;

  @Test
  void everyEventAcceptedAroundAKillOfTemporalIsDeliveredOnceItIsBack() throws Exception {
    TemporalCliServer server = RealTemporal.start(directory);
    try (LoopbackReceiver receiver = LoopbackReceiver.start();
        HeraldHarness herald = HeraldHarness.onTemporal(RealTemporal.asDevTemporal(server))) {
      // Every event's first attempt fails, so that deliveries wait in backoff when Temporal dies.
      receiver.setDefault(r -> ReceiverResponse.status(attempt(r).equals("1") ? 503 : 204));
      JsonNode subscription = subscribe(herald, receiver.url("/hooks"));
      List<String> accepted = new ArrayList<>();
      for (int i = 0; i < BATCH; i++) {
        Response r = publish(herald, "evt_before_" + i);
        assertThat(r.status()).as("publish before the kill: %s", r.json()).isEqualTo(202);
        accepted.add("evt_before_" + i);
      }
      // Half the first attempts made: the rest are on their way, those made wait in backoff.
      receiver.awaitRequests(BATCH / 2, Duration.ofSeconds(60));
      Instant killedAt = Instant.now();
      server.kill();
      int receivedAtKill = receiver.requests().size();

      List<Long> whileDownMillis = publishAtOnce(herald, "evt_while_down_", BATCH);
      accepted.addAll(IntStream.range(0, BATCH).mapToObj(i -> "evt_while_down_" + i).toList());

      long restarting = System.nanoTime();
      server = RealTemporal.restart(server);
      long restartMillis = (System.nanoTime() - restarting) / 1_000_000;
      Instant back = Instant.now();
      try {
        RealTemporal.await("a 204 for every accepted event", DRAIN,
            () -> answered(receiver).containsAll(accepted));
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\nreceived: " + attemptsById(receiver.requests())
            + "\nunfinished:\n" + unfinished(herald, server), e);
      }
      Duration drained = Duration.between(back, Instant.now());
      herald.awaitJson("/v1/deliveries?limit=100&subscriptionId=" + subscription.get("id").asText(),
          page -> page.get("data").size() == accepted.size() && allSucceeded(page.get("data")),
          Duration.ofSeconds(30));

      List<RecordedRequest> requests = receiver.requests();
      Webhook webhook = new Webhook(subscription.get("secret").asText());
      for (RecordedRequest r : requests) {
        webhook.verify(r.bodyUtf8(), SubscriptionApiTest.headersOf(r));
      }
      Map<String, List<String>> attempts = attemptsById(requests);
      assertThat(attempts.keySet()).containsExactlyInAnyOrderElementsOf(accepted);
      // Exactly the two attempts each, in order: nothing sent twice, nothing skipped.
      assertThat(attempts)
          .allSatisfy((id, numbers) -> assertThat(numbers).as(id).containsExactly("1", "2"));
      // The scenario happened: a retry planned before the kill was sent after it.
      assertThat(requests).anySatisfy(r -> {
        assertThat(r.header("webhook-id")).startsWith("evt_before_");
        assertThat(attempt(r)).isEqualTo("2");
        assertThat(r.arrivedAt()).isAfter(killedAt);
      });
      RecordedRequest last =
          requests.stream().max(Comparator.comparing(RecordedRequest::arrivedAt)).orElseThrow();
      System.out.printf(
          "TemporalCrashIT: %d events accepted, %d of them published at once while Temporal was down"
              + " (answered 202 in %s ms); %d requests had arrived at the kill; %d requests in all,"
              + " 2 per event, no duplicate; restart took %d ms; drained %d ms after it (last: %s)%n",
          accepted.size(), BATCH, whileDownMillis, receivedAtKill, requests.size(), restartMillis,
          drained.toMillis(), last.header("webhook-id"));
    } finally {
      server.close();
    }
  }

  /** Publishes {@code count} events at the same time; returns how long each took to answer 202. */
  private static List<Long> publishAtOnce(HeraldHarness herald, String prefix, int count)
      throws Exception {
    ExecutorService publishers = Executors.newFixedThreadPool(count);
    try {
      List<Future<Long>> answers = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String id = prefix + i;
        answers.add(publishers.submit(() -> {
          long started = System.nanoTime();
          Response r = publish(herald, id);
          assertThat(r.status()).as("publish while Temporal is down: %s", r.json()).isEqualTo(202);
          return (System.nanoTime() - started) / 1_000_000;
        }));
      }
      List<Long> millis = new ArrayList<>();
      for (Future<Long> answer : answers) {
        millis.add(answer.get());
      }
      assertThat(millis).allSatisfy(ms -> assertThat(ms).isLessThan(PUBLISH_WHILE_DOWN_MILLIS));
      return millis;
    } finally {
      publishers.shutdownNow();
    }
  }

  /** The deliveries not yet succeeded, each with what Temporal says of its workflow. */
  private static String unfinished(HeraldHarness herald, TemporalCliServer server) throws Exception {
    StringBuilder out = new StringBuilder();
    for (JsonNode d : herald.call("GET", "/v1/deliveries?limit=100", null).json().get("data")) {
      if (!d.get("status").asText().equals("succeeded")) {
        out.append(d).append('\n').append(RealTemporal.tryCli(server, "workflow", "describe",
            "--workflow-id", d.get("workflowId").asText()).output());
      }
    }
    return out.toString();
  }

  /** The herald-attempt numbers received, in order, by webhook-id. */
  private static Map<String, List<String>> attemptsById(List<RecordedRequest> requests) {
    return requests.stream().collect(Collectors.groupingBy(r -> r.header("webhook-id"),
        TreeMap::new, Collectors.mapping(TemporalCrashIT::attempt, Collectors.toList())));
  }

  private static String attempt(RecordedRequest r) {
    return r.header("herald-attempt");
  }

  /** The webhook-ids the receiver answered 204. */
  private static List<String> answered(LoopbackReceiver receiver) {
    return receiver.requests().stream()
        .filter(r -> !attempt(r).equals("1"))
        .map(r -> r.header("webhook-id"))
        .toList();
  }

  private static boolean allSucceeded(JsonNode deliveries) {
    for (JsonNode d : deliveries) {
      if (!d.get("status").asText().equals("succeeded")) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode subscribe(HeraldHarness herald, String url) throws Exception {
    Response r = herald.call("POST", "/v1/subscriptions", "{\"name\":\"crash\",\"url\":\"" + url
        + "\",\"events\":[\"order.*\"],\"retrySchedule\":[2,2,2]}");
    assertThat(r.status()).as("%s", r.json()).isEqualTo(201);
    return r.json();
  }

  private static Response publish(HeraldHarness herald, String id) throws Exception {
    return herald.call("POST", "/v1/events",
        "{\"id\":\"" + id + "\",\"type\":\"order.paid\",\"data\":{\"n\":1}}");
  }
}
