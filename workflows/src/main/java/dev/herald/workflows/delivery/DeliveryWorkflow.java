package dev.herald.workflows.delivery;

import dev.herald.model.DeliveryInput;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Delivers one event to one subscription: one workflow per delivery, id {@code delivery-<deliveryId>}.
 *
 * <p>Each attempt is one activity; between attempts a durable timer waits out the subscription's
 * retry schedule (with jitter, or longer when the endpoint asked with {@code Retry-After}). The
 * workflow ends Completed when the delivery succeeded, was cancelled or was held (subscription
 * paused or disabled), and Failed with type {@value DeliveryWorkflow#EXHAUSTED} when the schedule
 * ran out, or with type {@value DeliveryWorkflow#UNSENDABLE} when its request could not be built
 * for this event (its body template failed), so that the Temporal UI lists it under Failed.
 */
@WorkflowInterface
public interface DeliveryWorkflow {

  /** The failure type a workflow ends with when every attempt of the schedule failed. */
  String EXHAUSTED = "DeliveryExhausted";

  /**
   * The failure type a workflow ends with when its request could not be built (the body's
   * template failed for this event): nothing was sent, and retrying would fail the same way.
   */
  String UNSENDABLE = "DeliveryUnsendable";

  @WorkflowMethod
  void deliver(DeliveryInput input);

  /** Cuts the current backoff timer short: the next attempt starts now. */
  @SignalMethod
  void retryNow();

  /**
   * A slot of the endpoint's {@code maxConcurrency} was freed: a delivery waiting for one asks
   * again now instead of at its next look. Ignored by a delivery not waiting for a slot.
   */
  @SignalMethod
  void slotFree();

  /** Ends the delivery as cancelled; no further attempt is made. */
  @SignalMethod
  void cancel();

  /** Where the delivery stands, as the workflow sees it. */
  @QueryMethod
  DeliveryProgress status();
}
