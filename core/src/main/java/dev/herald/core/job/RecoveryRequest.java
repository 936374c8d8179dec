package dev.herald.core.job;

import java.time.Instant;

/**
 * What an owner asked to recover.
 *
 * @param since the window's start, inclusive
 * @param until the window's end, exclusive; null for "now", in which case a running recovery of
 *     the same subscription with the same {@code since} counts as the same window
 */
public record RecoveryRequest(String tenantId, String subscriptionId, Instant since, Instant until) {}
