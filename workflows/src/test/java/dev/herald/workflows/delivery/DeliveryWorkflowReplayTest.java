package dev.herald.workflows.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.model.DeliveryInput;
import dev.herald.workflows.schedule.RetrySchedule;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.NonDeterministicException;
import io.temporal.workflow.Workflow;
import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Replays recorded histories against the current implementation: a change to the commands the
 * workflow issues (an extra activity, a timer moved, a different order) fails here before it can
 * break deliveries already waiting on a backoff timer in production.
 */
class DeliveryWorkflowReplayTest {

  private static final File RETRY_THEN_SUCCESS =
      DeliveryHistoryRecorder.RETRY_THEN_SUCCESS.toFile();

  @Test
  void theRecordedRetryThenSuccessHistoryReplaysDeterministically() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(RETRY_THEN_SUCCESS, DeliveryWorkflowImpl.class);
  }

  @Test
  void theRecordedHistoryIsTwoFailuresAndASuccess() throws Exception {
    List<EventType> types =
        WorkflowExecutionHistory.fromJson(Files.readString(RETRY_THEN_SUCCESS.toPath()))
            .getEvents()
            .stream()
            .map(HistoryEvent::getEventType)
            .toList();
    assertThat(types).filteredOn(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED::equals).hasSize(3);
    assertThat(types).filteredOn(EventType.EVENT_TYPE_TIMER_FIRED::equals).hasSize(2);
    assertThat(types).last().isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
  }

  @Test
  void anImplementationThatSkipsTheBackoffFailsTheReplay() {
    // Proves the replay above has teeth: the same attempts without the upserts and timers between
    // them are caught at the first command that differs.
    assertThatThrownBy(
            () ->
                WorkflowReplayer.replayWorkflowExecution(
                    RETRY_THEN_SUCCESS, NoBackoffDeliveryWorkflow.class))
        .hasMessageContaining(NonDeterministicException.class.getSimpleName());
  }

  /** A broken variant: the same attempts with the same jitter, back to back, showing nothing. */
  public static class NoBackoffDeliveryWorkflow implements DeliveryWorkflow {
    @Override
    public void deliver(DeliveryInput input) {
      DeliveryActivities activities =
          Workflow.newActivityStub(
              DeliveryActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofMinutes(2))
                  .build());
      Random random = Workflow.newRandom();
      for (int n = 1; n <= input.maxAttempts(); n++) {
        Integer planned = RetrySchedule.jitteredDelay(input.retrySchedule(), n, random);
        AttemptResult result =
            activities.attempt(
                new AttemptRequest(input.deliveryId(), n, input.maxAttempts(), planned));
        if (result.outcome() == AttemptOutcome.SUCCEEDED) {
          return;
        }
      }
    }

    @Override
    public void retryNow() {}

    @Override
    public void slotFree() {}

    @Override
    public void cancel() {}

    @Override
    public DeliveryProgress status() {
      return null;
    }
  }
}
