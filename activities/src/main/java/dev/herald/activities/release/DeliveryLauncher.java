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
}
