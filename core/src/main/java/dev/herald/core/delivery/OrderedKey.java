package dev.herald.core.delivery;

/**
 * An ordered key: a subscription's deliveries whose events carry the same value of its ordering
 * attribute.
 *
 * @param key the attribute's value
 * @param headDeliveryId the key's next delivery when it was read
 */
public record OrderedKey(String tenantId, String subscriptionId, String key, String headDeliveryId) {}
