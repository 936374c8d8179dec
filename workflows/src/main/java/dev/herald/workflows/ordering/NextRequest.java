package dev.herald.workflows.ordering;

/**
 * Which key's next delivery to look up.
 *
 * @param subscriptionId the ordered subscription
 * @param key the value of its ordering attribute
 */
public record NextRequest(String subscriptionId, String key) {}
