package dev.herald.workflows.retention;

/**
 * What one batch removed.
 *
 * @param deliveries finished deliveries removed
 * @param attempts their attempts
 * @param events events removed
 * @param cutoffMillis the cutoff, in epoch milliseconds: deliveries completed before it went
 * @param durationMillis how long the batch's transaction took
 * @param full whether the batch took as many deliveries (or undelivered events) as it could:
 *     more may be waiting, so the next batch follows after a short pause
 */
public record RetentionBatchResult(
    int deliveries, int attempts, int events, long cutoffMillis, long durationMillis, boolean full) {}
