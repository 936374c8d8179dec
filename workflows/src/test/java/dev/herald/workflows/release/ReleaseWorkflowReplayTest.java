package dev.herald.workflows.release;

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
 * Replays a recorded release against the current implementation: a change to its commands (an
 * activity more, the pacing timer moved) fails here before it can break releases running in
 * production.
 */
class ReleaseWorkflowReplayTest {

  private static final File TWO_BATCHES_THEN_CONTINUE =
      ReleaseHistoryRecorder.TWO_BATCHES_THEN_CONTINUE.toFile();

  @Test
  void theRecordedReleaseReplaysDeterministically() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(TWO_BATCHES_THEN_CONTINUE, ReleaseWorkflowImpl.class);
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
                    TWO_BATCHES_THEN_CONTINUE, UnpacedReleaseWorkflow.class))
        .hasMessageContaining(NonDeterministicException.class.getSimpleName());
  }

  /** A broken variant: the same batches back to back, with no timer between them. */
  public static class UnpacedReleaseWorkflow implements ReleaseWorkflow {
    @Override
    public void release(ReleaseInput input) {
      ReleaseActivities activities =
          Workflow.newActivityStub(
              ReleaseActivities.class,
              ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(2)).build());
      while (activities.releaseBatch(new ReleaseBatch(input.subscriptionId(), input.ratePerSecond()))
              .released()
          > 0) {
        // keep going
      }
    }

    @Override
    public void releaseAgain() {}

    @Override
    public ReleaseProgress progress() {
      return null;
    }
  }
}
