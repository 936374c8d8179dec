package dev.herald.workflows.health;

import java.util.List;

/**
 * Where a subscription's health stands; also what a run carries into the next one.
 *
 * @param consecutiveFailures failed attempts since the last success (or reset)
 * @param streakStartedAtMillis when the first of them finished, or null without a streak
 * @param lastError the last failure, e.g. {@code HTTP 503} or {@code timeout}
 * @param lastSuccessAtMillis when the last reported success finished, or null
 * @param warned whether the owner was warned during this streak
 * @param disabled whether this workflow disabled the subscription (until a reset)
 * @param recentAttemptIds the ids of the latest reports, to ignore one seen twice
 * @param disableAfterFailures the threshold of the latest failure report (0: never disables)
 * @param disableAfterSeconds how old the streak must be, from the latest failure report
 * @param disableReason why the subscription was disabled, or null while it is not
 * @param disabledAtMillis when this workflow disabled it, or null
 */
public record HealthState(
    int consecutiveFailures,
    Long streakStartedAtMillis,
    String lastError,
    Long lastSuccessAtMillis,
    boolean warned,
    boolean disabled,
    List<String> recentAttemptIds,
    int disableAfterFailures,
    int disableAfterSeconds,
    String disableReason,
    Long disabledAtMillis) {

  /** A subscription with no failure on record. */
  public static HealthState healthy() {
    return new HealthState(0, null, null, null, false, false, List.of(), 0, 0, null, null);
  }
}
