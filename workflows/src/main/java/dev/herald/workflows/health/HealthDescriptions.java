package dev.herald.workflows.health;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The sentences the health workflow shows in the Temporal UI and sends to the owner. */
final class HealthDescriptions {

  private HealthDescriptions() {}

  /** {@code 20 consecutive failed attempts since 2026-11-22T09:14Z; last: HTTP 503}. */
  static String disabledReason(int failures, long streakStartedAtMillis, String lastError) {
    return failures(failures, "failed attempt") + " since " + minute(streakStartedAtMillis)
        + "; last: " + lastError;
  }

  /** {@code the endpoint answered 410 Gone at 2026-11-22T09:14Z}. */
  static String goneReason(long atMillis) {
    return "the endpoint answered 410 Gone at " + minute(atMillis);
  }

  /**
   * {@code 10 consecutive failed attempts since 2026-11-22T09:14Z; last: HTTP 503 (disabled after
   * 20 failures over 24 h)}.
   */
  static String failingReason(
      int failures, long streakStartedAtMillis, String lastError, int threshold, int seconds) {
    return disabledReason(failures, streakStartedAtMillis, lastError)
        + " (disabled after " + threshold + " failures" + (seconds > 0 ? " over " + span(seconds) : "")
        + ")";
  }

  /**
   * The current details: {@code healthy}, {@code disabled: <reason>}, or the streak, e.g. {@code
   * 3 consecutive failures since 2026-11-22T09:14:05Z; last: HTTP 503; disables at 20 failures
   * and 24 h}.
   */
  static String details(HealthState state, Long disableAtMillis) {
    if (state.disabled()) {
      return "disabled: " + state.disableReason();
    }
    if (state.consecutiveFailures() == 0 || state.streakStartedAtMillis() == null) {
      return "healthy";
    }
    String streak =
        failures(state.consecutiveFailures(), "failure") + " since "
            + second(state.streakStartedAtMillis()) + "; last: " + state.lastError();
    if (state.disableAfterFailures() <= 0) {
      return streak + "; never disables (disableAfter.failures is 0)";
    }
    if (disableAtMillis != null) {
      return streak + "; disables at " + second(disableAtMillis) + " unless an attempt succeeds";
    }
    return streak + "; disables at " + state.disableAfterFailures() + " failures"
        + (state.disableAfterSeconds() > 0 ? " and " + span(state.disableAfterSeconds()) : "");
  }

  /** Seconds as the owner reads them: {@code 24 h}, {@code 90 min}, {@code 45 s}. */
  static String span(int seconds) {
    if (seconds % 3600 == 0) {
      return seconds / 3600 + " h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + " min";
    }
    return seconds + " s";
  }

  private static String failures(int count, String noun) {
    return count + " consecutive " + noun + (count == 1 ? "" : "s");
  }

  /** {@code 2026-11-22T09:14Z}: precise enough for a person, stable across a retried notice. */
  private static String minute(long millis) {
    String seconds = second(millis);
    return seconds.substring(0, seconds.length() - 4) + "Z";
  }

  private static String second(long millis) {
    return Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
