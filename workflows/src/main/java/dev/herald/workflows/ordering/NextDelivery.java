package dev.herald.workflows.ordering;

import dev.herald.model.DeliveryInput;

/**
 * A key's next delivery as PostgreSQL has it: its unfinished delivery with the lowest feed
 * position.
 *
 * @param delivery what starts its workflow, or null when the key has nothing unfinished
 * @param held whether it is held (its subscription is paused or disabled): the key waits
 * @param position its event's feed position, 0 when there is none
 */
public record NextDelivery(DeliveryInput delivery, boolean held, long position) {

  /** The key has nothing left. */
  public static NextDelivery none() {
    return new NextDelivery(null, false, 0);
  }

  public boolean nothingLeft() {
    return delivery == null;
  }
}
