package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.activities.health.HealthReporter;
import dev.herald.activities.health.HealthTelling;
import dev.herald.core.delivery.Attempt;
import dev.herald.core.delivery.AttemptRecord;
import dev.herald.model.DeliveryStatus;
import dev.herald.core.delivery.Streak;
import dev.herald.core.crypto.SecretCipher;
import dev.herald.core.crypto.SecretKeyRing;
import dev.herald.core.delivery.DeliveryDao;
import dev.herald.core.ids.Ids;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.subscription.SubscriptionDao;
import dev.herald.model.Outcome;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.workflows.health.HealthState;
import dev.herald.workflows.health.SubscriptionHealthWorkflow;
import dev.herald.workflows.health.SubscriptionHealthWorkflows;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A failure storm costs a subscription's health workflow a few signals, not one per failure,
 * against a real in-memory Temporal server and Herald's health workflow. First 2,000 failed
 * attempts are recorded from 8 threads as fast as PostgreSQL takes them (as many workers would,
 * each through the exact count and the attempt activity's telling; only the HTTP exchange is left
 * out); then the storm goes on to 20,000 at 1,000 failures a second through the same telling, with
 * the counts PostgreSQL would give. The bound stated: at most 3 + log2(failures) signals and a
 * history under 200 events, however long the storm (a real server ends a workflow at 51,200).
 */
class HealthStormTest {

  private static final int RECORDED = 2_000;
  private static final int FAILURES = 20_000;
  private static final int PER_SECOND = 1_000;
  private static final int DELIVERIES = 100;

  @Test
  void aThousandFailuresASecondCostTheHealthWorkflowAFewSignals() throws Exception {
    try (LoopbackReceiver endpoint = LoopbackReceiver.start();
        HeraldHarness herald = new HeraldHarness()) {
      // Paused: its deliveries are held, so neither a workflow nor the sweeper sends them.
      String id = herald.call("POST", "/v1/subscriptions", "{\"name\":\"storm\",\"url\":\""
          + endpoint.url() + "\",\"events\":[\"storm.*\"]}").json().get("id").asText();
      herald.call("PATCH", "/v1/subscriptions/" + id, "{\"isPaused\":true}");
      for (int i = 0; i < DELIVERIES; i++) {
        herald.call("POST", "/v1/events", "{\"type\":\"storm.hit\",\"data\":{}}");
      }
      SubscriptionDao subscriptions = new SubscriptionDao(herald.database.jdbi(), HeraldHarness.JSON,
          new SecretCipher(SecretKeyRing.parse(HeraldHarness.SECRET_KEY, null)));
      DeliveryDao deliveries = new DeliveryDao(herald.database.jdbi(), subscriptions);
      Subscription s = subscriptions.findLive(id).orElseThrow();
      List<String> held = herald.database.jdbi().withHandle(h -> h.createQuery(
          "SELECT id FROM deliveries WHERE subscription_id = :s ORDER BY id").bind("s", id).mapTo(String.class).list());
      assertThat(held).hasSize(DELIVERIES);
      WorkflowClient temporal = herald.temporalClient();
      HealthTelling telling = new HealthTelling(new HealthReporter(temporal), deliveries);
      Ids ids = new Ids(Clock.systemUTC());

      AtomicInteger next = new AtomicInteger();
      long started = System.nanoTime();
      ExecutorService workers = Executors.newFixedThreadPool(8);
      for (int t = 0; t < 8; t++) {
        workers.submit(() -> {
          for (int i = next.getAndIncrement(); i < RECORDED; i = next.getAndIncrement()) {
            Instant now = Instant.now();
            Attempt a = new Attempt(ids.next("att"), held.get(i % DELIVERIES), i / DELIVERIES + 1, now, 3,
                503, null, null, Outcome.FAILED);
            Streak streak = deliveries
                .recordAttempt(new AttemptRecord(a, DeliveryStatus.HELD, null, id))
                .orElseThrow();
            telling.recorded(s.tenantId(), s, a, streak);
          }
          return null;
        });
      }
      workers.shutdown();
      assertThat(workers.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
      double recordingSeconds = (System.nanoTime() - started) / 1e9;
      assertThat(subscriptions.findLive(id).orElseThrow().consecutiveFailures()).isEqualTo(RECORDED);
      Streak recorded = deliveries.streakOf(id).orElseThrow();

      // The storm goes on at 1,000 a second, told as the recorded ones were.
      long stormStarted = System.nanoTime();
      for (int n = RECORDED + 1; n <= FAILURES; n++) {
        long due = stormStarted + TimeUnit.MILLISECONDS.toNanos((n - RECORDED) * 1000L / PER_SECOND);
        LockSupport.parkNanos(due - System.nanoTime());
        Instant now = Instant.now();
        Attempt a = new Attempt(ids.next("att"), held.get(n % DELIVERIES), 0, now, 3, 503, null, null, Outcome.FAILED);
        telling.recorded(s.tenantId(), s, a, new Streak(n - 1, n, recorded.failingSince()));
      }
      double stormSeconds = (System.nanoTime() - stormStarted) / 1e9;

      SubscriptionHealthWorkflow workflow =
          temporal.newWorkflowStub(SubscriptionHealthWorkflow.class, SubscriptionHealthWorkflows.workflowId(id));
      Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
      HealthState state = workflow.state();
      while (state.consecutiveFailures() < 16_384 && Instant.now().isBefore(deadline)) {
        Thread.sleep(100);
        state = workflow.state();
      }
      List<HistoryEvent> history =
          temporal.fetchHistory(SubscriptionHealthWorkflows.workflowId(id)).getEvents();
      long signals = history.stream()
          .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
          .count();
      System.out.printf(
          "health storm: %d failures recorded in %.1f s (%.0f/s), then %d more at %.0f/s: the health"
              + " workflow got %d signals, %d history events; its count %d%n",
          RECORDED, recordingSeconds, RECORDED / recordingSeconds, FAILURES - RECORDED,
          (FAILURES - RECORDED) / stormSeconds, signals, history.size(), state.consecutiveFailures());

      // Told at 4, 8, …, 16384 (13 powers of two), 10 (the warning) and 20 (the threshold).
      assertThat(signals).isEqualTo(15).isLessThanOrEqualTo(3 + (long) (Math.log(FAILURES) / Math.log(2)));
      assertThat(history).hasSizeLessThan(200);
      assertThat(state.consecutiveFailures()).isEqualTo(16_384);
      assertThat(state.warned()).isTrue();
      assertThat(state.disabled()).as("the streak is not 24 h old").isFalse();
      assertThat(herald.call("GET", "/v1/notifications?subscriptionId=" + id, null).json().get("data")
          .findValuesAsText("type")).containsExactly("subscription.failing");
      assertThat(endpoint.requests()).as("nothing was sent").isEmpty();
    }
  }
}
