package dev.herald.core.delivery;

import java.time.Instant;

/**
 * An attempt to record, with the delivery's resulting state.
 *
 * @param newStatus the delivery's status after this attempt
 * @param nextAttemptAt when the next attempt is due, while retrying
 */
public record AttemptRecord(
    Attempt attempt, DeliveryStatus newStatus, Instant nextAttemptAt, String subscriptionId) {}
