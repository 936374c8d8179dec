package dev.herald.workflows.delivery;

/**
 * The answer to the {@code status} query.
 *
 * @param status {@code pending}, {@code retrying}, {@code succeeded}, {@code failed}, {@code
 *     cancelled} or {@code held}: the same words as the API
 * @param attempts attempts made so far (including those of earlier runs)
 * @param maxAttempts attempts the schedule allows
 * @param nextAttemptAtMillis epoch millis of the next attempt while waiting, else {@code null}
 * @param lastAttempt summary of the last attempt, e.g. {@code HTTP 503 in 120 ms}, or {@code null}
 */
public record DeliveryProgress(
    String status, int attempts, int maxAttempts, Long nextAttemptAtMillis, String lastAttempt) {}
