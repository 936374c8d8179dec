package dev.herald.core.tenant;

import java.time.Instant;

/** A customer of the platform: owns subscriptions, events and keys. */
public record Tenant(
    String id, String name, boolean webhooksEnabled, Integer maxSubscriptions, Instant createdAt) {}
