package dev.herald.core.batch;

import dev.herald.model.DeliveryStatus;
import java.util.Map;

/**
 * One delivery of a batch, with its event's stored bytes and attributes: what one element of the
 * batch's body is made from.
 */
public record BatchMember(
    String deliveryId,
    String eventId,
    String eventType,
    DeliveryStatus status,
    String payload,
    Map<String, String> attributes) {

  public BatchMember {
    attributes = Map.copyOf(attributes);
  }
}
