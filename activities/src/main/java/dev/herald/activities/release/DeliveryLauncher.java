package dev.herald.activities.release;

import dev.herald.model.DeliveryInput;
import java.util.List;

/**
 * Starts the workflows of deliveries already committed as pending. The worker wires it to the
 * API's delivery starter; the activities never depend on the API module.
 */
@FunctionalInterface
public interface DeliveryLauncher {

  /**
   * Starts what it can. A delivery whose start fails stays pending and is restarted by the
   * sweeper, so implementations may log such failures instead of throwing.
   */
  void launch(List<DeliveryInput> deliveries);

  /**
   * Wakes the batchers of batched subscriptions that have committed deliveries to gather (they
   * have no workflows of their own). By default nothing: the sweeper wakes a batcher whose
   * deliveries were gathered past their {@code maxWaitSeconds}.
   */
  default void gather(List<String> subscriptionIds) {}

  /** Hands off what a publish committed: its deliveries' workflows, and its batchers. */
  default void launch(dev.herald.core.event.PublishResult published) {
    if (!published.toStart().isEmpty()) {
      launch(published.toStart());
    }
    if (!published.toGather().isEmpty()) {
      gather(published.toGather());
    }
  }
}
