package dev.herald.core.delivery;

import java.time.Instant;

/**
 * Which of a tenant's deliveries to list; every field is optional.
 *
 * @param since created at or after this instant
 * @param until created before this instant
 */
public record DeliverySearch(
    String subscriptionId, String eventId, DeliveryStatus status, Instant since, Instant until) {

  public static final DeliverySearch ALL = new DeliverySearch(null, null, null, null, null);
}
