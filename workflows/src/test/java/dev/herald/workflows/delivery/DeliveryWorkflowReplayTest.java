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

  /** Recorded before attempts were local activities: runs started then still replay. */
  private static final File RETRY_THEN_SUCCESS =
      DeliveryHistoryRecorder.RETRY_THEN_SUCCESS.toFile();

  /** Recorded by the current code. */
  private static final File LOCAL_RETRY_THEN_SUCCESS =
      DeliveryHistoryRecorder.LOCAL_RETRY_THEN_SUCCESS.toFile();

  /** Recorded before a woken slot wait left its timer: it cancels it. */
  private static final File WOKEN_WAIT_THEN_SUCCESS =
      DeliveryHistoryRecorder.WOKEN_WAIT_THEN_SUCCESS.toFile();

  @Test
  void aWokenWaitRecordedWhenItCancelledItsTimerStillReplays() throws Exception {
    assertThat(types(WOKEN_WAIT_THEN_SUCCESS)).contains(EventType.EVENT_TYPE_TIMER_CANCELED);

    WorkflowReplayer.replayWorkflowExecution(WOKEN_WAIT_THEN_SUCCESS, DeliveryWorkflowImpl.class);
  }

  @Test
  void bothRecordedHistoriesReplayDeterministically() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(RETRY_THEN_SUCCESS, DeliveryWorkflowImpl.class);
    WorkflowReplayer.replayWorkflowExecution(LOCAL_RETRY_THEN_SUCCESS, DeliveryWorkflowImpl.class);
  }

  @Test
  void theEarlierHistoryIsTwoFailuresAndASuccessAsActivityTasks() throws Exception {
    List<EventType> types = types(RETRY_THEN_SUCCESS);
    assertThat(types).filteredOn(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED::equals).hasSize(3);
    assertThat(types).filteredOn(EventType.EVENT_TYPE_TIMER_FIRED::equals).hasSize(2);
    assertThat(types).last().isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
  }

  @Test
  void theCurrentHistoryIsTheSameAsLocalAttemptsAfterTheVersionMarker() throws Exception {
    List<HistoryEvent> events = events(LOCAL_RETRY_THEN_SUCCESS);
    List<String> markers =
        events.stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
            .map(e -> e.getMarkerRecordedEventAttributes().getMarkerName())
            .toList();
    // The version marker first, then one LocalActivity marker per attempt.
    assertThat(markers).containsExactly("Version", "LocalActivity", "LocalActivity", "LocalActivity");
    List<EventType> types = types(LOCAL_RETRY_THEN_SUCCESS);
    assertThat(types).doesNotContain(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
    assertThat(types).filteredOn(EventType.EVENT_TYPE_TIMER_FIRED::equals).hasSize(2);
    assertThat(types).last().isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
  }

  private static List<HistoryEvent> events(File history) throws Exception {
    return WorkflowExecutionHistory.fromJson(Files.readString(history.toPath())).getEvents();
  }

  private static List<EventType> types(File history) throws Exception {
    return events(history).stream().map(HistoryEvent::getEventType).toList();
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
