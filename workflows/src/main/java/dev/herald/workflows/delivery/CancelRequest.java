package dev.herald.workflows.delivery;

/**
 * A request to record a delivery as cancelled.
 *
 * @param deliveryId the delivery
 * @param reason why, for the log: {@code signal} or {@code workflow_cancelled}
 */
public record CancelRequest(String deliveryId, String reason) {}
