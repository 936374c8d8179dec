package dev.herald.core.delivery;

import dev.herald.core.subscription.Subscription;

/**
 * Everything an attempt reads: the delivery, its subscription ({@code null} once deleted) and the
 * exact payload bytes, as text.
 */
public record AttemptContext(Delivery delivery, Subscription subscription, String payload) {}
