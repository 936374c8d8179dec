package dev.herald.core.delivery;

import dev.herald.model.DeliveryInput;
import java.util.List;

/**
 * What one release of held deliveries came to.
 *
 * @param deliverable false when the subscription is paused, disabled or deleted: nothing moved
 * @param released the deliveries moved from held to pending, oldest first, with what it takes to
 *     start their workflows (their attempt count makes them go on from the attempts recorded)
 * @param gathered how many of the moved deliveries are batched: they have no workflow of their
 *     own, the subscription's batcher gathers them
 * @param batched whether the subscription batches: its batcher is to be woken
 */
public record HeldRelease(
    boolean deliverable, List<DeliveryInput> released, int gathered, boolean batched) {

  public HeldRelease {
    released = List.copyOf(released);
  }

  /** A release of deliveries that each have a workflow of their own. */
  public HeldRelease(boolean deliverable, List<DeliveryInput> released) {
    this(deliverable, released, 0, false);
  }

  static HeldRelease notDeliverable() {
    return new HeldRelease(false, List.of());
  }
}
