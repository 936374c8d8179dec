package dev.herald.workflows.batch;

/**
 * One attempt of a batch.
 *
 * @param retryDelaySeconds the jittered wait before the next attempt if this one fails, or null
 *     after the last
 * @param reserved whether the subscription's rate limit promised this attempt its start (it was
 *     told to wait for it), so that it goes without asking again
 */
public record BatchAttemptRequest(
    String batchId, int attemptNumber, Integer retryDelaySeconds, boolean reserved) {}
