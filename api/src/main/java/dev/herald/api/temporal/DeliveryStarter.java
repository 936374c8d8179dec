package dev.herald.api.temporal;

import dev.herald.model.DeliveryInput;
import dev.herald.model.DeliveryInput;
import dev.herald.workflows.delivery.DeliveryWorkflow;
import dev.herald.workflows.delivery.DeliveryWorkflows;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the workflow of a committed delivery, idempotently: its id is {@code
 * delivery-<deliveryId>}, so a second start of a running delivery changes nothing.
 */
public final class DeliveryStarter {

  private static final Logger log = LoggerFactory.getLogger(DeliveryStarter.class);

  private final WorkflowClient client;

  public DeliveryStarter(WorkflowClient client) {
    this.client = client;
  }

  /**
   * Starts the delivery's workflow, going on from the attempts already recorded.
   *
   * @return true when a workflow was started, false when one was already running
   */
  public boolean start(DeliveryInput input) {
    DeliveryWorkflow workflow =
        client.newWorkflowStub(DeliveryWorkflow.class, DeliveryWorkflows.options(input));
    try {
      WorkflowClient.start(workflow::deliver, input);
      return true;
    } catch (WorkflowExecutionAlreadyStarted e) {
      return false;
    }
  }

  /**
   * Starts what it can and leaves the rest to the sweeper: the deliveries are committed, so a
   * Temporal outage delays them but loses nothing. Once Temporal proves unreachable the rest are
   * not tried, so that a publish waits for one failed start, not one per delivery.
   */
  public void startAll(Iterable<DeliveryInput> deliveries) {
    Iterator<DeliveryInput> it = deliveries.iterator();
    while (it.hasNext()) {
      DeliveryInput p = it.next();
      try {
        start(p);
      } catch (RuntimeException e) {
        boolean unreachable = unreachable(e);
        int left = 0;
        for (; unreachable && it.hasNext(); it.next()) {
          left++;
        }
        log.warn("could not start the workflow of {}{}; the sweeper will: {}", p.deliveryId(),
            left > 0 ? " nor the " + left + " after it (Temporal is unreachable)" : "", reason(e));
      }
    }
  }

  private static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && !(t instanceof StatusRuntimeException)) {
      t = t.getCause();
    }
    return t.toString();
  }

  private static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException s) {
        Status.Code code = s.getStatus().getCode();
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
      }
    }
    return false;
  }
}
