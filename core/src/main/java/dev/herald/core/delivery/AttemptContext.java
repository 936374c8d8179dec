package dev.herald.core.delivery;

import dev.herald.core.subscription.BuiltRequest;
import java.util.Map;
import dev.herald.core.subscription.Subscription;

/**
 * Everything an attempt reads: the delivery, its subscription ({@code null} once deleted), the
 * exact payload bytes, as text, the event's attributes, and the request the delivery's first
 * attempt built ({@code null} before it).
 */
public record AttemptContext(
    Delivery delivery,
    Subscription subscription,
    String payload,
    Map<String, String> attributes,
    BuiltRequest built) {}
