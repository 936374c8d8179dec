package dev.herald.workflows.batch;

/**
 * One attempt of a batch.
 *
 * @param retryDelaySeconds the jittered wait before the next attempt if this one fails, or null
 *     after the last
 */
public record BatchAttemptRequest(String batchId, int attemptNumber, Integer retryDelaySeconds) {}
