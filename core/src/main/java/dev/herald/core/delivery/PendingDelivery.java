package dev.herald.core.delivery;

import java.util.List;

/**
 * What it takes to start (or restart) a delivery's workflow.
 *
 * @param attemptCount attempts already recorded; the workflow goes on from the next one
 */
public record PendingDelivery(
    String deliveryId,
    String tenantId,
    String subscriptionId,
    String eventType,
    String url,
    List<Integer> retrySchedule,
    int attemptCount) {}
