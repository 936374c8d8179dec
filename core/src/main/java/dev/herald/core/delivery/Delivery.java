package dev.herald.core.delivery;

import java.time.Instant;

/** One event on its way to one subscription. */
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
    Instant completedAt) {

  /** The Temporal workflow that drives it. */
  public String workflowId() {
    return "delivery-" + id;
  }
}
