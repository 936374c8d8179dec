package dev.herald.workflows.batch;

/** Claim the oldest gathered deliveries of a subscription into batch {@code batchId} (idempotent). */
public record ClaimRequest(String batchId, String subscriptionId) {}
