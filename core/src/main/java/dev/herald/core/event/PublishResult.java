package dev.herald.core.event;

import dev.herald.model.DeliveryInput;
import java.util.List;

/**
 * What publishing did.
 *
 * @param event the event as first accepted
 * @param created false when the id was already published with the same body
 * @param toStart deliveries whose workflows must now be started (empty on a repeat)
 * @param deliveryIds the deliveries made now, held ones included (empty on a repeat)
 * @param toGather batched subscriptions with a pending delivery made now, whose batcher must now
 *     be woken (empty on a repeat)
 */
public record PublishResult(
    Event event,
    boolean created,
    List<DeliveryInput> toStart,
    List<String> deliveryIds,
    List<String> toGather) {

  /** A result with no batched delivery to gather. */
  public PublishResult(
      Event event, boolean created, List<DeliveryInput> toStart, List<String> deliveryIds) {
    this(event, created, toStart, deliveryIds, List.of());
  }
}
