package dev.herald.core.delivery;

import java.time.Instant;

/**
 * A subscription's streak of failed attempts around one recorded attempt, as PostgreSQL counts it
 * under the subscription row's lock: exact however many workers record attempts at once.
 *
 * @param failuresBefore failed attempts in a row before this attempt
 * @param failuresAfter after it: 0 after a success
 * @param failingSince when the streak began (the failure that made the count 1); null after a
 *     success
 */
public record Streak(int failuresBefore, int failuresAfter, Instant failingSince) {}
