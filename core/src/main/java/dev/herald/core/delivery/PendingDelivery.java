package dev.herald.core.delivery;

import java.util.List;

/**
 * What it takes to start (or restart) a delivery's workflow.
 *
 * @param attemptCount attempts already recorded; the workflow goes on from the next one
 * @param lastAttempt the last attempt number the workflow may make, or 0 for the schedule's
 *     last; a finished delivery retried by hand gets exactly one more
 */
public record PendingDelivery(
    String deliveryId,
    String tenantId,
    String subscriptionId,
    String eventType,
    String url,
    List<Integer> retrySchedule,
    int attemptCount,
    int lastAttempt) {

  /** A delivery that follows its subscription's schedule to the end. */
  public PendingDelivery(
      String deliveryId,
      String tenantId,
      String subscriptionId,
      String eventType,
      String url,
      List<Integer> retrySchedule,
      int attemptCount) {
    this(deliveryId, tenantId, subscriptionId, eventType, url, retrySchedule, attemptCount, 0);
  }

  /** The last attempt number the workflow may make. */
  public int maxAttempts() {
    return lastAttempt > 0 ? lastAttempt : retrySchedule.size() + 1;
  }
}
