package dev.herald.core.delivery;

import dev.herald.core.subscription.Subscription;
import dev.herald.model.DeliveryStatus;
import java.time.Instant;

/**
 * Which of a tenant's deliveries to list; every field is optional.
 *
 * @param since created at or after this instant
 * @param until created before this instant
 * @param kind to subscriptions or one-off
 */
public record DeliverySearch(
    String subscriptionId,
    String eventId,
    DeliveryStatus status,
    Instant since,
    Instant until,
    Subscription.Kind kind) {

  public static final DeliverySearch ALL = new DeliverySearch(null, null, null, null, null, null);

  /** Deliveries of every kind. */
  public DeliverySearch(
      String subscriptionId, String eventId, DeliveryStatus status, Instant since, Instant until) {
    this(subscriptionId, eventId, status, since, until, null);
  }
}
