package dev.herald.core.delivery;

import dev.herald.core.subscription.BuiltRequest;
import dev.herald.model.DeliveryStatus;
import java.time.Instant;

/**
 * An attempt to record, with the delivery's resulting state.
 *
 * @param newStatus the delivery's status after this attempt
 * @param nextAttemptAt when the next attempt is due, while retrying
 * @param reachedEndpoint false for an attempt whose request could not be built (its template
 *     failed): it fails the delivery but leaves the subscription's record of its endpoint alone
 * @param built the request this attempt built, to keep for every later attempt of the delivery
 *     (the first attempt's), or null when one was kept before
 */
public record AttemptRecord(
    Attempt attempt,
    DeliveryStatus newStatus,
    Instant nextAttemptAt,
    String subscriptionId,
    boolean reachedEndpoint,
    BuiltRequest built) {

  /** An attempt that was sent to the endpoint with a request kept before. */
  public AttemptRecord(
      Attempt attempt, DeliveryStatus newStatus, Instant nextAttemptAt, String subscriptionId) {
    this(attempt, newStatus, nextAttemptAt, subscriptionId, true, null);
  }

  /** An attempt with a request kept before. */
  public AttemptRecord(
      Attempt attempt, DeliveryStatus newStatus, Instant nextAttemptAt, String subscriptionId,
      boolean reachedEndpoint) {
    this(attempt, newStatus, nextAttemptAt, subscriptionId, reachedEndpoint, null);
  }
}
