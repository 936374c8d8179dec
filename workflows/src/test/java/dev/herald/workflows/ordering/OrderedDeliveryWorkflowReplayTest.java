package dev.herald.workflows.ordering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.workflows.delivery.DeliveryWorkflow;
import dev.herald.workflows.delivery.DeliveryWorkflows;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.NonDeterministicException;
import io.temporal.workflow.Workflow;
import java.io.File;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replays a recorded sequencer run against the current implementation: a change to its commands
 * (a look skipped, a child started differently) fails here before it can break keys running in
 * production.
 */
class OrderedDeliveryWorkflowReplayTest {

  private static final File TWO_DELIVERIES_THEN_CONTINUE =
      OrderedHistoryRecorder.TWO_DELIVERIES_THEN_CONTINUE.toFile();

  @Test
  void theRecordedRunReplaysDeterministically() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        TWO_DELIVERIES_THEN_CONTINUE, OrderedDeliveryWorkflowImpl.class);
  }

  @Test
  void theRecordedHistoryIsTwoLooksAndTwoChildrenThenContinueAsNew() throws Exception {
    List<EventType> types =
        WorkflowExecutionHistory.fromJson(Files.readString(TWO_DELIVERIES_THEN_CONTINUE.toPath()))
            .getEvents()
            .stream()
            .map(HistoryEvent::getEventType)
            .toList();
    assertThat(types).filteredOn(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED::equals).hasSize(2);
    assertThat(types)
        .filteredOn(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED::equals).hasSize(2);
    assertThat(types).last().isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
  }

  @Test
  void anImplementationThatDoesNotAskPostgresFailsTheReplay() {
    assertThatThrownBy(
            () ->
                WorkflowReplayer.replayWorkflowExecution(
                    TWO_DELIVERIES_THEN_CONTINUE, TrustingSequencer.class))
        .hasMessageContaining(NonDeterministicException.class.getSimpleName());
  }

  /** A broken variant: runs the deliveries its input names, in signal order, without a look. */
  public static class TrustingSequencer implements OrderedDeliveryWorkflow {
    @Override
    public void run(OrderedInput input) {
      for (String id : List.of("dlv_1", "dlv_2")) {
        var delivery = KeyBacklog.input(id, List.of(1, 1));
        Workflow.newChildWorkflowStub(DeliveryWorkflow.class,
                DeliveryWorkflows.childOptions(delivery))
            .deliver(delivery);
      }
    }

    @Override
    public void wake() {}

    @Override
    public OrderedProgress progress() {
      return null;
    }
  }
}
