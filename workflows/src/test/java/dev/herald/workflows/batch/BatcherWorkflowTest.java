package dev.herald.workflows.batch;

import static dev.herald.workflows.batch.BatchTesting.SUBSCRIPTION_ID;
import static dev.herald.workflows.batch.BatchTesting.wake;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.workflows.batch.GatheringStore.Sent;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The batcher and a batch's workflow on a time-skipping test server, against an in-memory record
 * of gathered deliveries: each limit (count, time, size) sends a batch, a failing batch is retried
 * as a unit on the schedule, and a batcher lost while gathering loses and repeats nothing.
 */
@Timeout(60)
class BatcherWorkflowTest {

  @RegisterExtension static final TestWorkflowExtension temporal = BatchTesting.extension();

  private static final List<Integer> SCHEDULE = List.of(5, 300);

  @Test
  void maxEventsSendsABatchAtOnceAndTheRestAfterMaxWait(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    GatheringStore store = start(env, worker, new GatheringStore(env, 3, 60, 1_048_576, SCHEDULE));
    long t0 = env.currentTimeMillis();
    List<String> published = store.publish(7, 100);
    wake(client, worker);

    eventually(() -> store.sent().size() == 2);
    assertThat(store.sent()).extracting(s -> s.deliveryIds().size()).containsExactly(3, 3);
    assertThat(store.sent()).allSatisfy(s -> assertThat(s.atMillis() - t0).isLessThan(60_000));

    env.sleep(Duration.ofSeconds(61));
    eventually(() -> store.sent().size() == 3);
    Sent last = store.sent().get(2);
    assertThat(last.deliveryIds()).containsExactly(published.get(6));
    assertThat(last.atMillis() - t0).isGreaterThanOrEqualTo(60_000);
    assertEachSentOnce(store, published);
  }

  @Test
  void maxWaitSecondsSendsWhatIsGatheredWhenTheOldestHasWaited(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) throws Exception {
    GatheringStore store = start(env, worker, new GatheringStore(env, 100, 30, 1_048_576, SCHEDULE));
    long t0 = env.currentTimeMillis();
    List<String> published = store.publish(2, 100);
    wake(client, worker);

    env.sleep(Duration.ofSeconds(29));
    Thread.sleep(300);
    assertThat(store.sent()).as("nothing before maxWaitSeconds").isEmpty();

    env.sleep(Duration.ofSeconds(2));
    eventually(() -> store.sent().size() == 1);
    assertThat(store.sent().get(0).deliveryIds()).containsExactlyElementsOf(published);
    assertThat(store.sent().get(0).atMillis() - t0).isBetween(30_000L, 32_500L);
  }

  @Test
  void maxBytesSendsWhatFitsAtOnce(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    GatheringStore store = start(env, worker, new GatheringStore(env, 100, 60, 1024, SCHEDULE));
    long t0 = env.currentTimeMillis();
    List<String> published = store.publish(5, 400);
    wake(client, worker);

    eventually(() -> store.sent().size() == 2);
    // 2 × 400 bytes fit in 1024, a third would not.
    assertThat(store.sent()).extracting(s -> s.deliveryIds().size()).containsExactly(2, 2);
    assertThat(store.sent()).allSatisfy(s -> assertThat(s.atMillis() - t0).isLessThan(60_000));

    env.sleep(Duration.ofSeconds(61));
    eventually(() -> store.sent().size() == 3);
    assertThat(store.sent().get(2).deliveryIds()).containsExactly(published.get(4));
    assertEachSentOnce(store, published);
  }

  @Test
  void aFailingBatchIsRetriedAsAUnitOnTheSchedule(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    GatheringStore store = start(env, worker, new GatheringStore(env, 2, 60, 1_048_576, SCHEDULE));
    store.answer(n -> n < 3 ? 503 : 204);
    List<String> published = store.publish(2, 100);
    wake(client, worker);

    eventually(() -> store.sent().size() == 1);
    env.sleep(Duration.ofSeconds(400));
    eventually(() -> store.sent().size() == 3);
    List<Sent> sent = store.sent();
    assertThat(sent).extracting(Sent::batchId).containsOnly(sent.get(0).batchId());
    assertThat(sent).extracting(Sent::attempt).containsExactly(1, 2, 3);
    assertThat(sent).allSatisfy(s -> assertThat(s.deliveryIds()).containsExactlyElementsOf(published));
    // 5 s and 300 s, ±10 % jitter.
    assertThat(sent.get(1).atMillis() - sent.get(0).atMillis()).isBetween(4_000L, 6_000L);
    assertThat(sent.get(2).atMillis() - sent.get(1).atMillis()).isBetween(270_000L, 331_000L);
    assertThat(store.batches()).hasSize(1);
  }

  @Test
  void retryNowCutsABatchsBackoffShortAndTheScheduleGoesOnAfterIt(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    GatheringStore store =
        start(env, worker, new GatheringStore(env, 2, 60, 1_048_576, List.of(3600, 90)));
    store.answer(n -> n < 3 ? 503 : 204);
    store.publish(2, 100);
    wake(client, worker);
    eventually(() -> store.sent().size() == 1);
    env.sleep(Duration.ofSeconds(60));
    String batchId = store.sent().get(0).batchId();

    client.newWorkflowStub(BatchDeliveryWorkflow.class, BatchWorkflows.batchId(batchId)).retryNow();

    eventually(() -> store.sent().size() == 2);
    List<Sent> sent = store.sent();
    assertThat(sent.get(1).attempt()).isEqualTo(2);
    assertThat(sent.get(1).atMillis() - sent.get(0).atMillis())
        .as("attempt 2 when asked, not after an hour").isBetween(60_000L, 120_000L);
    // Then the schedule's next step: 90 s, ±10 %, plus the moments the attempts themselves take
    // in (skipped) workflow time (99,002 ms was seen).
    env.sleep(Duration.ofSeconds(100));
    eventually(() -> store.sent().size() == 3);
    assertThat(store.sent().get(2).atMillis() - sent.get(1).atMillis()).isBetween(81_000L, 99_500L);
  }

  @Test
  void aBatchToldToWaitForItsEndpointsLimitsAsksAgainWithTheSameAttemptNumber(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    GatheringStore store = start(env, worker, new GatheringStore(env, 2, 60, 1_048_576, SCHEDULE));
    store.waitNext("maxConcurrency 1: 1 attempts in flight", 600_000, false);
    store.waitNext("rateLimit 1/s: its start is reserved", 1_000, true);
    store.publish(2, 100);
    long t0 = env.currentTimeMillis();
    wake(client, worker);
    eventually(() -> store.asked().size() == 1);
    String batchId = store.asked().get(0).batchId();

    // A slot freed: the batch asks again at once, not after its 10 minutes.
    client.newWorkflowStub(BatchDeliveryWorkflow.class, BatchWorkflows.batchId(batchId)).slotFree();
    eventually(() -> store.sent().size() == 1);

    List<BatchAttemptRequest> asked = store.asked();
    assertThat(asked).extracting(BatchAttemptRequest::attemptNumber)
        .as("waits use no attempt").containsExactly(1, 1, 1);
    assertThat(asked).extracting(BatchAttemptRequest::reserved)
        .as("the start the rate limit promised is not asked for again")
        .containsExactly(false, false, true);
    assertThat(store.sent().get(0).atMillis() - t0).isLessThan(60_000);
  }

  @Test
  void aBatcherLostWhileGatheringIsStartedAgainAndLosesOrRepeatsNothing(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) throws Exception {
    GatheringStore store = start(env, worker, new GatheringStore(env, 100, 60, 1_048_576, SCHEDULE));
    List<String> published = new ArrayList<>(store.publish(4, 100));
    wake(client, worker);
    env.sleep(Duration.ofSeconds(10));

    // Its worker's process died and the server lost it: as good as terminated.
    client.newUntypedWorkflowStub(BatchWorkflows.batcherId(SUBSCRIPTION_ID))
        .terminate("lost with its worker");
    published.addAll(store.publish(2, 100));
    env.sleep(Duration.ofSeconds(70));
    Thread.sleep(300);
    assertThat(store.sent()).as("no batcher, nothing sent").isEmpty();
    assertThat(store.gatheredCount()).as("everything still gathered in the record").isEqualTo(6);

    // The sweeper wakes it: signal-with-start makes a new one, which finds everything.
    wake(client, worker);
    eventually(() -> store.sent().size() == 1);
    assertThat(store.sent().get(0).deliveryIds()).containsExactlyElementsOf(published);
    env.sleep(Duration.ofSeconds(120));
    Thread.sleep(300);
    assertEachSentOnce(store, published);
  }

  private static GatheringStore start(
      TestWorkflowEnvironment env, Worker worker, GatheringStore store) {
    worker.registerActivitiesImplementations(store);
    env.start();
    return store;
  }

  private static void assertEachSentOnce(GatheringStore store, List<String> published) {
    List<String> delivered = new ArrayList<>();
    store.sent().stream()
        .filter(s -> s.attempt() == 1)
        .forEach(s -> delivered.addAll(s.deliveryIds()));
    assertThat(delivered).containsExactlyInAnyOrderElementsOf(published);
    assertThat(store.gatheredCount()).isZero();
  }

  /** Polls in wall time, with the test clock standing still, until the condition holds. */
  private static void eventually(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 15 s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
