package dev.herald.core.delivery;

import java.time.Instant;

/**
 * An attempt to record, with the delivery's resulting state.
 *
 * @param newStatus the delivery's status after this attempt
 * @param nextAttemptAt when the next attempt is due, while retrying
 * @param reachedEndpoint false for an attempt whose request could not be built (its template
 *     failed): it fails the delivery but leaves the subscription's record of its endpoint alone
 */
public record AttemptRecord(
    Attempt attempt,
    DeliveryStatus newStatus,
    Instant nextAttemptAt,
    String subscriptionId,
    boolean reachedEndpoint) {

  /** An attempt that was sent to the endpoint. */
  public AttemptRecord(
      Attempt attempt, DeliveryStatus newStatus, Instant nextAttemptAt, String subscriptionId) {
    this(attempt, newStatus, nextAttemptAt, subscriptionId, true);
  }
}
