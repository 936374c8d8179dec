package dev.herald.core.event;

import java.time.Instant;
import java.util.Map;

/**
 * An accepted event.
 *
 * @param payload the exact JSON body every attempt sends
 * @param deliveryCount how many deliveries publishing it created
 */
public record Event(
    String tenantId,
    String id,
    String type,
    String payload,
    Map<String, String> attributes,
    int deliveryCount,
    Instant createdAt) {}
