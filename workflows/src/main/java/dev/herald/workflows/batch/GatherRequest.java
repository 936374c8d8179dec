package dev.herald.workflows.batch;

/** Which subscription's gathered deliveries to look at. */
public record GatherRequest(String subscriptionId) {}
