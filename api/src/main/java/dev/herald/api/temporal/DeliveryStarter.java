package dev.herald.api.temporal;

import dev.herald.model.DeliveryInput;
import dev.herald.workflows.delivery.DeliveryWorkflows;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts the workflow of a committed delivery, idempotently: its id is {@code
 * delivery-<deliveryId>}, so a second start of a running delivery changes nothing. Called through
 * {@link Handoff}.
 *
 * <p>The client is the one this process's worker was made with, so that the start brings the
 * workflow's first task straight back to that worker (eager start, see {@code
 * DeliveryWorkflows#options}). That client retries a call for up to a minute, as a worker's calls
 * should; a start gives up after {@code bound} instead (a gRPC deadline on the call and on the
 * SDK's retries), as the API's other calls do, so that an unreachable Temporal holds a start
 * thread for seconds, not a minute.
 */
final class DeliveryStarter {

  private final WorkflowClient client;
  private final Duration bound;
  private final ScheduledExecutorService deadlines;

  /**
   * @param deadlines runs the cancellation of a call whose bound is up
   */
  DeliveryStarter(WorkflowClient client, Duration bound, ScheduledExecutorService deadlines) {
    this.client = client;
    this.bound = bound;
    this.deadlines = deadlines;
  }

  /**
   * Starts the delivery's workflow, going on from the attempts already recorded.
   *
   * @return true when a workflow was started, false when one was already running
   */
  boolean start(DeliveryInput input) {
    // Untyped: a typed stub reads the interface's annotations by reflection on every start.
    WorkflowStub workflow =
        client.newUntypedWorkflowStub(DeliveryWorkflows.TYPE, DeliveryWorkflows.options(input));
    Context.CancellableContext bounded =
        Context.current().withDeadlineAfter(bound.toMillis(), TimeUnit.MILLISECONDS, deadlines);
    Context previous = bounded.attach();
    try {
      workflow.start(input);
      return true;
    } catch (WorkflowExecutionAlreadyStarted e) {
      return false;
    } finally {
      bounded.detach(previous);
      bounded.cancel(null);
    }
  }

  static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && !(t instanceof StatusRuntimeException)) {
      t = t.getCause();
    }
    return t.toString();
  }

  /**
   * Whether the call ran out of its time (its deadline passed, or its bound cancelled it): the
   * server may be slow rather than gone.
   */
  static boolean outOfTime(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException s) {
        return s.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED
            || s.getStatus().getCode() == Status.Code.CANCELLED;
      }
    }
    return false;
  }

  /**
   * Whether the call failed for want of an answer rather than by Temporal's refusal: the server
   * could not be reached, did not answer in time, or was overloaded; or the client gave up before
   * a status came back (the SDK then throws without a gRPC status, for instance {@code
   * IllegalArgumentException: invalid expiration} once its retry time has run out while waiting for
   * the server's capabilities). Such a start is worth trying again; a refusal is not.
   */
  static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException s) {
        return switch (s.getStatus().getCode()) {
          case UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, CANCELLED, UNKNOWN -> true;
          default -> false;
        };
      }
    }
    return true;
  }
}
