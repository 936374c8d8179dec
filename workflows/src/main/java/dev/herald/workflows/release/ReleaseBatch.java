package dev.herald.workflows.release;

/**
 * One batch to release.
 *
 * @param subscriptionId the subscription whose held deliveries go out
 * @param limit the most deliveries this batch may release
 */
public record ReleaseBatch(String subscriptionId, int limit) {}
