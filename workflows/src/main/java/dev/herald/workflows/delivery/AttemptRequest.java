package dev.herald.workflows.delivery;

/**
 * One attempt to make.
 *
 * @param deliveryId the delivery
 * @param attemptNumber 1-based; an attempt already recorded under this number is not sent again
 * @param maxAttempts how many attempts the schedule allows, for the record and the log
 * @param retryDelaySeconds the (jittered) wait before the next attempt should this one fail, or
 *     {@code null} when this is the last attempt of the schedule; the activity lengthens it when the
 *     endpoint asks with {@code Retry-After} and records the resulting next attempt time
 * @param reserved whether the endpoint's rate limit promised this attempt its start (the wait
 *     before it was a {@link AttemptOutcome#WAIT} with {@code reserved}): it goes without asking
 *     the rate limit again
 */
public record AttemptRequest(
    String deliveryId, int attemptNumber, int maxAttempts, Integer retryDelaySeconds,
    boolean reserved) {

  /** An attempt with no rate-limit reservation. */
  public AttemptRequest(
      String deliveryId, int attemptNumber, int maxAttempts, Integer retryDelaySeconds) {
    this(deliveryId, attemptNumber, maxAttempts, retryDelaySeconds, false);
  }
}
