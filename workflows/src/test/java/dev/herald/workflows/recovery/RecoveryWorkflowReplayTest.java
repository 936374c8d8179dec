package dev.herald.workflows.recovery;

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
 * Replays a recorded recovery against the current implementation: a change to its commands (an
 * activity more, the pacing timer moved) fails here before it can break recoveries running in
 * production.
 */
class RecoveryWorkflowReplayTest {

  private static final File TWO_BATCHES_THEN_CONTINUE =
      RecoveryHistoryRecorder.TWO_BATCHES_THEN_CONTINUE.toFile();

  @Test
  void theRecordedRecoveryReplaysDeterministically() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(TWO_BATCHES_THEN_CONTINUE, RecoveryWorkflowImpl.class);
  }

  @Test
  void theRecordedHistoryIsTwoPacedBatchesThenContinueAsNew() throws Exception {
    List<EventType> types =
        WorkflowExecutionHistory.fromJson(Files.readString(TWO_BATCHES_THEN_CONTINUE.toPath()))
            .getEvents()
            .stream()
            .map(HistoryEvent::getEventType)
            .toList();
    assertThat(types).filteredOn(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED::equals).hasSize(2);
    assertThat(types).filteredOn(EventType.EVENT_TYPE_TIMER_FIRED::equals).hasSize(2);
    assertThat(types).last().isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
  }

  @Test
  void anImplementationWithoutThePaceFailsTheReplay() {
    assertThatThrownBy(
            () ->
                WorkflowReplayer.replayWorkflowExecution(
                    TWO_BATCHES_THEN_CONTINUE, UnpacedRecoveryWorkflow.class))
        .hasMessageContaining(NonDeterministicException.class.getSimpleName());
  }

  /** A broken variant: the same batches back to back, with no timer between them. */
  public static class UnpacedRecoveryWorkflow implements RecoveryWorkflow {
    @Override
    public void recover(RecoveryInput input) {
      RecoveryActivities activities =
          Workflow.newActivityStub(
              RecoveryActivities.class,
              ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(2)).build());
      while (activities.recoverBatch(new RecoveryBatch(input.jobId(), input.ratePerSecond())).running()) {
        // keep going
      }
    }

    @Override
    public RecoveryProgress progress() {
      return null;
    }
  }
}
