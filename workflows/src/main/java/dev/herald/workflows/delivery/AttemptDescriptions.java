package dev.herald.workflows.delivery;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The human lines a delivery shows in the Temporal UI and in its exhausted failure. */
final class AttemptDescriptions {

  private AttemptDescriptions() {}

  /** The result's own summary, or one built from its fields when the activity gave none. */
  static String describe(AttemptResult result) {
    if (result.summary() != null && !result.summary().isBlank()) {
      return result.summary();
    }
    String what =
        result.statusCode() != null
            ? "HTTP " + result.statusCode()
            : result.error() != null ? result.error() : result.outcome().name().toLowerCase();
    return what + " in " + result.durationMs() + " ms";
  }

  /** {@code attempt 1 of 8 succeeded: HTTP 204 in 35 ms}. */
  static String ended(int attempt, int maxAttempts, String verb, String description) {
    return "attempt " + attempt + " of " + maxAttempts + " " + verb + ": " + description;
  }

  /** {@code attempt 3 of 8 failed: HTTP 503 in 120 ms; next at 2026-11-23T10:05:00Z}. */
  static String retrying(int attempt, int maxAttempts, String description, long nextAtMillis) {
    Instant next = Instant.ofEpochMilli(nextAtMillis).truncatedTo(ChronoUnit.SECONDS);
    return ended(attempt, maxAttempts, "failed", description) + "; next at " + next;
  }

  /**
   * {@code waiting before attempt 2 of 8: maxConcurrency 4: 4 attempts in flight; asks again at
   * 2026-11-23T10:05:00.250Z}.
   */
  static String waiting(int attempt, int maxAttempts, String why, long untilMillis) {
    return "waiting before attempt " + attempt + " of " + maxAttempts + ": " + why
        + "; asks again at " + Instant.ofEpochMilli(untilMillis);
  }

  /** {@code attempt 8 of 8 failed: HTTP 503 in 120 ms; no attempts left}. */
  static String exhausted(int attempt, int maxAttempts, String description) {
    return ended(attempt, maxAttempts, "failed", description) + "; no attempts left";
  }

  /** {@code attempt 1 of 8 failed: template: … ; not retried (the request cannot be built)}. */
  static String unsendable(int attempt, int maxAttempts, String description) {
    return ended(attempt, maxAttempts, "failed", description)
        + "; not retried (the request cannot be built for this event)";
  }
}
