package dev.herald.core.delivery;

import dev.herald.core.subscription.Subscription;
import dev.herald.model.DeliveryStatus;
import java.time.Instant;

/**
 * One event on its way to one subscription, or to the URL of a one-off delivery.
 *
 * @param kind whether it goes to a client's subscription or is a one-off delivery
 * @param url where a one-off delivery goes; null for a subscription's (the subscription says)
 */
public record Delivery(
    String id,
    String tenantId,
    String eventId,
    String subscriptionId,
    String eventType,
    DeliveryStatus status,
    int attemptCount,
    Instant nextAttemptAt,
    Instant createdAt,
    Instant updatedAt,
    Instant completedAt,
    Subscription.Kind kind,
    String url,
    String waitingReason) {

  /** A delivery that is not waiting on its endpoint's limits. */
  public Delivery(
      String id, String tenantId, String eventId, String subscriptionId, String eventType,
      DeliveryStatus status, int attemptCount, Instant nextAttemptAt, Instant createdAt,
      Instant updatedAt, Instant completedAt, Subscription.Kind kind, String url) {
    this(id, tenantId, eventId, subscriptionId, eventType, status, attemptCount, nextAttemptAt,
        createdAt, updatedAt, completedAt, kind, url, null);
  }

  /** A delivery to a client's subscription. */
  public Delivery(
      String id, String tenantId, String eventId, String subscriptionId, String eventType,
      DeliveryStatus status, int attemptCount, Instant nextAttemptAt, Instant createdAt,
      Instant updatedAt, Instant completedAt) {
    this(id, tenantId, eventId, subscriptionId, eventType, status, attemptCount, nextAttemptAt,
        createdAt, updatedAt, completedAt, Subscription.Kind.SUBSCRIPTION, null);
  }

  /** The Temporal workflow that drives it. */
  public String workflowId() {
    return "delivery-" + id;
  }
}
