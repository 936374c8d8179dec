package dev.herald.core.batch;

import dev.herald.model.DeliveryStatus;
import java.time.Instant;

/** A batch as stored: one request's worth of a subscription's deliveries. */
public record Batch(
    String id,
    String tenantId,
    String subscriptionId,
    DeliveryStatus status,
    int eventCount,
    int bodyBytes,
    int attemptCount,
    Instant nextAttemptAt,
    Instant createdAt) {

  /** The Temporal workflow that sends it. */
  public String workflowId() {
    return "batch-" + id;
  }
}
