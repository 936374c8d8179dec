package dev.herald.workflows.delivery;

import static dev.herald.workflows.delivery.DeliveryTesting.failed;
import static dev.herald.workflows.delivery.DeliveryTesting.input;
import static dev.herald.workflows.delivery.DeliveryTesting.newWorkflow;
import static dev.herald.workflows.delivery.DeliveryTesting.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.herald.model.DeliveryInput;
import dev.herald.model.DeliveryStatus;
import dev.herald.workflows.schedule.RetrySchedule;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The retry schedule as the workflow walks it, on a time-skipping test server. */
@Timeout(30)
class DeliveryWorkflowScheduleTest {

  // 5 + 300 + 1800 + 7200 + 18000 + 36000 + 36000 seconds: about 27.6 hours.
  private static final long DEFAULT_SCHEDULE_MILLIS = 99_305_000L;

  @RegisterExtension static final TestWorkflowExtension temporal = DeliveryTesting.extension();

  @Test
  void theWholeDefaultScheduleFailsWithDeliveryExhaustedAtJitteredTimes(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    RecordedAttempts attempts = RecordedAttempts.start(env, worker, r -> failed(503, r));
    DeliveryInput input = input(RetrySchedule.DEFAULT);
    DeliveryWorkflow workflow = newWorkflow(client, worker, input);

    long wallStart = System.nanoTime();
    assertThatThrownBy(() -> workflow.deliver(input))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(DeliveryWorkflow.EXHAUSTED);
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getOriginalMessage())
                  .isEqualTo("8 attempts failed; last: HTTP 503 in 120 ms");
            });
    long wallMillis = (System.nanoTime() - wallStart) / 1_000_000;

    List<RecordedAttempts.Seen> seen = attempts.seen();
    long workflowMillis = seen.get(7).atMillis() - seen.get(0).atMillis();
    System.out.printf(
        "default schedule: %d attempts over %.2f h of workflow time in %d ms of wall time%n",
        seen.size(), workflowMillis / 3_600_000.0, wallMillis);
    assertThat(seen)
        .extracting(s -> s.request().attemptNumber())
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(seen).allSatisfy(s -> assertThat(s.request().maxAttempts()).isEqualTo(8));
    assertThat(attempts.plannedAfter(7)).as("the last attempt plans no wait").isNull();
    for (int i = 0; i < RetrySchedule.DEFAULT.size(); i++) {
      int base = RetrySchedule.DEFAULT.get(i);
      int planned = attempts.plannedAfter(i);
      assertThat(planned)
          .as("planned wait after attempt %d", i + 1)
          .isBetween((int) Math.floor(base * 0.9), (int) Math.ceil(base * 1.1));
      // The timer waits exactly the planned delay; the slack is what a workflow task takes.
      assertThat(attempts.gapAfter(i))
          .as("workflow time before attempt %d", i + 2)
          .isBetween(planned * 1000L, planned * 1000L + 1000);
    }
    assertThat(workflowMillis)
        .isBetween((long) (DEFAULT_SCHEDULE_MILLIS * 0.9), (long) (DEFAULT_SCHEDULE_MILLIS * 1.1));
    assertThat(wallMillis).as("wall time for 27.6 h of schedule, in ms").isLessThan(2000);
    verify(attempts.activities, never()).cancel(any());
  }

  @Test
  void aFailureThenASuccessMakesTwoAttemptsThePlannedDelayApart(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    RecordedAttempts attempts =
        RecordedAttempts.start(
            env, worker, r -> r.attemptNumber() == 1 ? failed(503, r) : succeeded(204));
    DeliveryInput input = input(RetrySchedule.DEFAULT);
    DeliveryWorkflow workflow = newWorkflow(client, worker, input);

    workflow.deliver(input);

    assertThat(attempts.count()).isEqualTo(2);
    int planned = attempts.plannedAfter(0);
    assertThat(planned).isBetween(4, 6);
    assertThat(attempts.gapAfter(0)).isBetween(planned * 1000L, planned * 1000L + 1000);
    assertThat(workflow.status())
        .isEqualTo(new DeliveryProgress("succeeded", 2, 8, null, "HTTP 204 in 35 ms"));
  }

  @Test
  void aRetryAfterLongerThanThePlannedDelayPostponesTheNextAttempt(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    // The activity lengthens the wait when the endpoint sends Retry-After; the workflow obeys it.
    RecordedAttempts attempts =
        RecordedAttempts.start(
            env, worker, r -> r.attemptNumber() == 1 ? failed(429, 3600) : succeeded(200));
    DeliveryInput input = input(List.of(5, 5));

    newWorkflow(client, worker, input).deliver(input);

    assertThat(attempts.count()).isEqualTo(2);
    assertThat(attempts.plannedAfter(0)).isBetween(4, 6);
    assertThat(attempts.gapAfter(0)).isGreaterThanOrEqualTo(3_600_000L);
  }

  @Test
  void aRestartedDeliveryContinuesItsAttemptNumbersUnderTheSameMaximum(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    RecordedAttempts attempts = RecordedAttempts.start(env, worker, r -> failed(500, r));
    DeliveryInput input = input(RetrySchedule.DEFAULT, 6);

    assertThatThrownBy(() -> newWorkflow(client, worker, input).deliver(input))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(DeliveryWorkflow.EXHAUSTED);
              assertThat(failure.getOriginalMessage()).startsWith("8 attempts failed");
            });

    List<RecordedAttempts.Seen> seen = attempts.seen();
    assertThat(seen).extracting(s -> s.request().attemptNumber()).containsExactly(6, 7, 8);
    assertThat(seen).allSatisfy(s -> assertThat(s.request().maxAttempts()).isEqualTo(8));
    assertThat(attempts.plannedAfter(0)).isBetween(32_400, 39_600);
    assertThat(attempts.plannedAfter(2)).isNull();
  }

  @Test
  void aRunStartedPastItsShortenedScheduleMakesExactlyOneMoreAttempt(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    RecordedAttempts attempts = RecordedAttempts.start(env, worker, r -> failed(503, r));
    // Four attempts made under a longer schedule, which is now one retry long (two attempts).
    DeliveryInput input = input(List.of(1), 5);

    assertThatThrownBy(() -> newWorkflow(client, worker, input).deliver(input))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(DeliveryWorkflow.EXHAUSTED);
              assertThat(failure.getOriginalMessage())
                  .isEqualTo("5 attempts failed; last: HTTP 503 in 120 ms");
            });

    List<RecordedAttempts.Seen> seen = attempts.seen();
    assertThat(seen).extracting(s -> s.request().attemptNumber()).containsExactly(5);
    assertThat(seen.get(0).request().maxAttempts()).isEqualTo(5);
    assertThat(attempts.plannedAfter(0)).as("the only attempt is the last").isNull();
  }

  @Test
  void aRunStartedPastItsShortenedScheduleSucceedsWithItsOneMoreAttempt(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    RecordedAttempts attempts = RecordedAttempts.start(env, worker, r -> succeeded(200));
    DeliveryInput input = input(List.of(1), 5);
    DeliveryWorkflow workflow = newWorkflow(client, worker, input);

    workflow.deliver(input);

    assertThat(attempts.seen()).extracting(s -> s.request().attemptNumber()).containsExactly(5);
    assertThat(workflow.status().status()).isEqualTo(DeliveryStatus.SUCCEEDED.wireName());
    assertThat(workflow.status().attempts()).isEqualTo(5);
    assertThat(workflow.status().maxAttempts()).isEqualTo(5);
  }

  @Test
  void anAttemptWhoseRequestCannotBeBuiltFailsTheDeliveryAtOnceWithoutRetrying(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    RecordedAttempts attempts =
        RecordedAttempts.start(
            env,
            worker,
            r -> new AttemptResult(AttemptOutcome.UNSENDABLE, null, "template", 3, null,
                "template: the template ran longer than 250 ms"));
    DeliveryInput input = input(RetrySchedule.DEFAULT);
    DeliveryWorkflow workflow = newWorkflow(client, worker, input);

    assertThatThrownBy(() -> workflow.deliver(input))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(DeliveryWorkflow.UNSENDABLE);
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getOriginalMessage())
                  .isEqualTo("attempt 1 could not be built: template: the template ran longer than 250 ms");
            });

    assertThat(attempts.count()).as("not retried").isEqualTo(1);
    assertThat(workflow.status().status()).isEqualTo("failed");
    assertThat(workflow.status().attempts()).isEqualTo(1);
    verify(attempts.activities, never()).cancel(any());
  }
}
