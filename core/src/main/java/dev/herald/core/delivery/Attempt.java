package dev.herald.core.delivery;

import dev.herald.model.Outcome;
import java.time.Instant;

/**
 * One recorded attempt.
 *
 * @param outcome what it came to: succeeded (the endpoint answered 2xx) or failed
 * @param responseBody at most the first 4 KiB of the endpoint's answer
 * @param error an error code such as {@code timeout}, or {@code null}
 */
public record Attempt(
    String id,
    String deliveryId,
    int number,
    Instant startedAt,
    long durationMs,
    Integer statusCode,
    String responseBody,
    String error,
    Outcome outcome) {}
