package dev.herald.workflows.delivery;

import static dev.herald.workflows.delivery.DeliveryTesting.DELIVERY_ID;
import static dev.herald.workflows.delivery.DeliveryTesting.awaitTrue;
import static dev.herald.workflows.delivery.DeliveryTesting.failed;
import static dev.herald.workflows.delivery.DeliveryTesting.input;
import static dev.herald.workflows.delivery.DeliveryTesting.newWorkflow;
import static dev.herald.workflows.delivery.DeliveryTesting.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verify;

import dev.herald.model.DeliveryInput;
import dev.herald.workflows.schedule.RetrySchedule;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Waits for the endpoint's limits ({@link AttemptOutcome#WAIT}): the same attempt is asked again
 * after a durable timer, no attempt of the schedule is used, and the wait shows in the current
 * details. On a time-skipping test server.
 */
@Timeout(30)
class DeliveryWorkflowWaitTest {

  @RegisterExtension static final TestWorkflowExtension temporal = DeliveryTesting.extension();

  private static final String FULL = "maxConcurrency 2: 2 attempts in flight";

  @Test
  void waitsForASlotAskTheSameAttemptAgainBackingOffAndUseNoAttempt(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    AtomicInteger asked = new AtomicInteger();
    RecordedAttempts attempts =
        RecordedAttempts.start(env, worker, r -> asked.incrementAndGet() <= 4
            ? AttemptResult.waiting(FULL, 0, false)
            : succeeded(204));
    DeliveryInput input = input(RetrySchedule.DEFAULT);
    DeliveryWorkflow workflow = newWorkflow(client, worker, input);

    workflow.deliver(input);

    List<RecordedAttempts.Seen> seen = attempts.seen();
    assertThat(seen).hasSize(5);
    assertThat(seen).allSatisfy(s -> {
      assertThat(s.request().attemptNumber()).isEqualTo(1);
      assertThat(s.request().reserved()).isFalse();
    });
    // 0.5 s, 1 s, 2 s, 4 s, each ±20 % (and a workflow task's slack).
    long[] base = {500, 1000, 2000, 4000};
    for (int i = 0; i < base.length; i++) {
      assertThat(attempts.gapAfter(i))
          .as("wait %d", i + 1)
          .isBetween((long) (base[i] * 0.8), (long) (base[i] * 1.2) + 1000);
    }
    assertThat(workflow.status())
        .isEqualTo(new DeliveryProgress("succeeded", 1, 8, null, "HTTP 204 in 35 ms"));
  }

  @Test
  void aReservedStartIsWaitedForExactlyAndThenTakenWithoutAskingTheRateLimitAgain(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    RecordedAttempts attempts =
        RecordedAttempts.start(env, worker, r -> r.reserved()
            ? succeeded(200)
            : AttemptResult.waiting("rateLimit 10/min: its start is reserved", 90_000, true));
    DeliveryInput input = input(RetrySchedule.DEFAULT);

    newWorkflow(client, worker, input).deliver(input);

    assertThat(attempts.count()).isEqualTo(2);
    assertThat(attempts.seen().get(1).request().reserved()).isTrue();
    assertThat(attempts.gapAfter(0)).isBetween(90_000L, 91_000L);
  }

  @Test
  void aWaitAfterAFailedAttemptKeepsTheAttemptNumberAndTheSchedule(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    AtomicInteger asked = new AtomicInteger();
    RecordedAttempts attempts =
        RecordedAttempts.start(env, worker, r -> switch (asked.incrementAndGet()) {
          case 1 -> failed(503, r);
          case 2, 3 -> AttemptResult.waiting(FULL, 0, false);
          default -> succeeded(204);
        });
    DeliveryInput input = input(List.of(5, 5));

    DeliveryWorkflow workflow = newWorkflow(client, worker, input);
    workflow.deliver(input);

    assertThat(attempts.seen()).extracting(s -> s.request().attemptNumber())
        .containsExactly(1, 2, 2, 2);
    assertThat(workflow.status().attempts()).isEqualTo(2);
    assertThat(workflow.status().status()).isEqualTo("succeeded");
  }

  @Test
  void theWaitShowsInTheCurrentDetailsAndATimerSummaryAndACancelSignalEndsIt(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    String backoff = "the endpoint asked to wait (429 or 503 with Retry-After) until 2026-12-01T10:00:00Z";
    RecordedAttempts attempts =
        RecordedAttempts.start(env, worker, r -> AttemptResult.waiting(backoff, 3_600_000, false));
    DeliveryInput input = input(RetrySchedule.DEFAULT);
    DeliveryWorkflow workflow = newWorkflow(client, worker, input);
    WorkflowClient.start(workflow::deliver, input);
    awaitTrue("the first answer", () -> attempts.count() == 1);
    awaitTrue("the wait shows", () -> currentDetails(workflow).startsWith("waiting"));

    assertThat(currentDetails(workflow))
        .startsWith("waiting before attempt 1 of 8: " + backoff + "; asks again at ");
    assertThat(workflow.status().status()).isEqualTo("pending");
    assertThat(workflow.status().attempts()).isZero();

    workflow.cancel();
    WorkflowStub.fromTyped(workflow).getResult(Void.class);

    assertThat(attempts.count()).isEqualTo(1);
    verify(attempts.activities).cancel(new CancelRequest(DELIVERY_ID, "signal"));
    assertThat(workflow.status().status()).isEqualTo("cancelled");
    List<HistoryEvent> events =
        client.fetchHistory(WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId())
            .getEvents();
    HistoryEvent timer = events.stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED).findFirst().orElseThrow();
    assertThat(DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
            timer.getUserMetadata().getSummary(), String.class, String.class))
        .isEqualTo("wait for the endpoint before attempt 1: " + backoff);
  }

  @Test
  void aVeryLongWaitContinuesAsNewAndTheNewRunMakesTheSameAttempt(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    AtomicInteger asked = new AtomicInteger();
    int waits = 1_000;
    RecordedAttempts attempts =
        RecordedAttempts.start(env, worker, r -> asked.incrementAndGet() <= waits
            ? AttemptResult.waiting(FULL, 0, false)
            : succeeded(204));
    DeliveryInput input = input(RetrySchedule.DEFAULT);
    DeliveryWorkflow workflow = newWorkflow(client, worker, input);

    workflow.deliver(input);

    assertThat(attempts.seen()).allSatisfy(s -> assertThat(s.request().attemptNumber()).isEqualTo(1));
    String id = WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId();
    List<HistoryEvent> last = client.fetchHistory(id).getEvents();
    assertThat(last.get(0).getWorkflowExecutionStartedEventAttributes()
            .getContinuedExecutionRunId()).as("the run that succeeded continued an earlier one")
        .isNotEmpty();
    assertThat(last.size()).isLessThan(DeliveryWorkflowImpl.CONTINUE_AS_NEW_AFTER_EVENTS);
    assertThat(workflow.status())
        .isEqualTo(new DeliveryProgress("succeeded", 1, 8, null, "HTTP 204 in 35 ms"));
  }

  @Test
  void aFreedSlotCutsASlotWaitShortButNeverABackoff(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    AtomicInteger asked = new AtomicInteger();
    RecordedAttempts attempts =
        RecordedAttempts.start(env, worker, r -> switch (asked.incrementAndGet()) {
          // Far into its polls: the next look would be about a minute away.
          case 1 -> AttemptResult.waiting(FULL, 50_000, false);
          case 2 -> failed(503, r);
          default -> succeeded(204);
        });
    DeliveryInput input = input(List.of(600));
    DeliveryWorkflow workflow = newWorkflow(client, worker, input);
    WorkflowClient.start(workflow::deliver, input);
    awaitTrue("waiting for a slot", () -> currentDetails(workflow).startsWith("waiting"));

    workflow.slotFree();
    awaitTrue("the second ask", () -> attempts.count() == 2);
    assertThat(attempts.gapAfter(0)).as("asked again at the signal, not after 50 s")
        .isLessThan(5_000);
    awaitTrue("retrying", () -> workflow.status().status().equals("retrying"));
    workflow.slotFree();
    WorkflowStub.fromTyped(workflow).getResult(Void.class);

    assertThat(attempts.gapAfter(1)).as("the backoff of 600 s ±10 %% ran its course")
        .isGreaterThanOrEqualTo(540_000L);
  }

  /**
   * A wake whose attempt is slow and told to wait again: the first wait's timer fires while the
   * workflow task that took the wake is still at the worker, running the attempt. A task that
   * then cancels that timer (and starts the next wait's) is refused by the time-skipping server
   * ("invalid history builder state for action") and never sent again: bursts of deliveries to
   * one endpoint were stranded so on {@code herald dev}'s in-memory fallback and in the delivery
   * benchmark. A slot wait's timer is left to fire instead.
   */
  @Test
  void aWakeWhoseAttemptOutlastsTheWaitsTimerDoesNotStrandTheDelivery(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) throws Exception {
    AtomicInteger asked = new AtomicInteger();
    RecordedAttempts attempts =
        RecordedAttempts.start(env, worker, r -> switch (asked.incrementAndGet()) {
          case 1 -> AttemptResult.waiting(FULL, 0, false);
          case 2 -> {
            // Longer than the first look's 0.4–0.6 s, in the real time the server's clock keeps
            // while the task is out; then another attempt took the freed slot.
            sleep(1_500);
            yield AttemptResult.waiting(FULL, 0, false);
          }
          default -> succeeded(204);
        });
    DeliveryInput input = input(RetrySchedule.DEFAULT);
    DeliveryWorkflow workflow = newWorkflow(client, worker, input);
    WorkflowClient.start(workflow::deliver, input);
    awaitTrue("waiting for a slot", () -> currentDetails(workflow).startsWith("waiting"));

    workflow.slotFree();
    WorkflowStub.fromTyped(workflow).getResult(15, TimeUnit.SECONDS, Void.class);

    assertThat(workflow.status().status()).isEqualTo("succeeded");
    assertThat(attempts.seen()).allSatisfy(s -> assertThat(s.request().attemptNumber()).isEqualTo(1));
    List<HistoryEvent> events =
        client.fetchHistory(WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId())
            .getEvents();
    assertThat(events).extracting(HistoryEvent::getEventType)
        .doesNotContain(EventType.EVENT_TYPE_TIMER_CANCELED);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void pollWaitsDoubleFromHalfASecondToAMinuteWithJitter() {
    java.util.Random random = new java.util.Random(7);
    for (int polls = 0; polls < 12; polls++) {
      long base = Math.min(60_000L, 500L << Math.min(polls, 7));
      long wait = DeliveryWorkflowImpl.pollMillis(polls, random);
      assertThat(wait).as("poll %d", polls).isBetween((long) (base * 0.8), (long) (base * 1.2));
    }
    assertThat(DeliveryWorkflowImpl.pollMillis(30, random)).isLessThanOrEqualTo(72_000L);
  }

  private static String currentDetails(DeliveryWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow)
        .query(WorkflowClient.QUERY_TYPE_WORKFLOW_METADATA, WorkflowMetadata.class)
        .getCurrentDetails();
  }
}
