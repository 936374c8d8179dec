package dev.herald.core.delivery;

import dev.herald.model.DeliveryInput;
import java.util.List;

/**
 * What one release of held deliveries came to.
 *
 * @param deliverable false when the subscription is paused, disabled or deleted: nothing moved
 * @param released the deliveries moved from held to pending, oldest first, with what it takes to
 *     start their workflows (their attempt count makes them go on from the attempts recorded)
 */
public record HeldRelease(boolean deliverable, List<DeliveryInput> released) {

  public HeldRelease {
    released = List.copyOf(released);
  }

  static HeldRelease notDeliverable() {
    return new HeldRelease(false, List.of());
  }
}
