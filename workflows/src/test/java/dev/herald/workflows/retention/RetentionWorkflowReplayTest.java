package dev.herald.workflows.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.api.Test;

/**
 * Replays a recorded retention run against the current implementation: a change to its commands
 * (an activity more, a timer moved) fails here before it can break the running workflow.
 */
class RetentionWorkflowReplayTest {

  private static final File RECORDED = RetentionHistoryRecorder.FULL_FULL_SHORT_THEN_CONTINUE.toFile();

  @Test
  void theRecordedRetentionReplaysDeterministically() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(RECORDED, RetentionWorkflowImpl.class);
  }

  @Test
  void theRecordedHistoryIsTwoFullBatchesAShortOneThenContinueAsNew() throws Exception {
    List<EventType> types =
        WorkflowExecutionHistory.fromJson(Files.readString(RECORDED.toPath()))
            .getEvents()
            .stream()
            .map(HistoryEvent::getEventType)
            .toList();
    assertThat(types).filteredOn(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED::equals).hasSize(3);
    assertThat(types).filteredOn(EventType.EVENT_TYPE_TIMER_FIRED::equals).hasSize(3);
    assertThat(types).last().isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
  }

  @Test
  void anImplementationWithoutTheTimersFailsTheReplay() {
    assertThatThrownBy(() -> WorkflowReplayer.replayWorkflowExecution(RECORDED, UntimedRetention.class))
        .hasMessageContaining(NonDeterministicException.class.getSimpleName());
  }

  /** A broken variant: batches back to back, with no pause and no idle timer. */
  public static class UntimedRetention implements RetentionWorkflow {
    @Override
    public void run(RetentionInput input) {
      RetentionActivities activities = Workflow.newActivityStub(RetentionActivities.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(2)).build());
      for (int i = 0; i < input.batchesPerRun(); i++) {
        activities.purgeBatch();
      }
      Workflow.continueAsNew(input);
    }

    @Override
    public RetentionProgress progress() {
      return null;
    }
  }
}
