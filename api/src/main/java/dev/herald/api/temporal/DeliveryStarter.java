package dev.herald.api.temporal;

import dev.herald.model.DeliveryInput;
import dev.herald.workflows.delivery.DeliveryWorkflow;
import dev.herald.workflows.delivery.DeliveryWorkflows;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;

/**
 * Starts the workflow of a committed delivery, idempotently: its id is {@code
 * delivery-<deliveryId>}, so a second start of a running delivery changes nothing. Called through
 * {@link Handoff}.
 */
final class DeliveryStarter {

  private final WorkflowClient client;

  DeliveryStarter(WorkflowClient client) {
    this.client = client;
  }

  /**
   * Starts the delivery's workflow, going on from the attempts already recorded.
   *
   * @return true when a workflow was started, false when one was already running
   */
  boolean start(DeliveryInput input) {
    DeliveryWorkflow workflow =
        client.newWorkflowStub(DeliveryWorkflow.class, DeliveryWorkflows.options(input));
    try {
      WorkflowClient.start(workflow::deliver, input);
      return true;
    } catch (WorkflowExecutionAlreadyStarted e) {
      return false;
    }
  }

  static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && !(t instanceof StatusRuntimeException)) {
      t = t.getCause();
    }
    return t.toString();
  }

  static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException s) {
        Status.Code code = s.getStatus().getCode();
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
      }
    }
    return false;
  }
}
