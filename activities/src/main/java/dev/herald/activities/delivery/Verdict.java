package dev.herald.activities.delivery;

import dev.herald.activities.http.Classification;
import dev.herald.core.delivery.Attempt;
import dev.herald.model.DeliveryStatus;
import dev.herald.model.Outcome;
import dev.herald.workflows.delivery.AttemptOutcome;
import dev.herald.workflows.schedule.RetrySchedule;

/**
 * What a classified exchange makes of an attempt, for a delivery or a batch alike: how the
 * workflow goes on, the wait before the next attempt, and the new status.
 *
 * @param nextDelaySeconds the planned wait, or the endpoint's longer {@code Retry-After}; null
 *     after a success or the last attempt
 */
public record Verdict(AttemptOutcome outcome, Integer nextDelaySeconds, DeliveryStatus status) {

  /**
   * @param plannedDelaySeconds the jittered wait the workflow drew, or null after the last attempt
   */
  public static Verdict of(Classification c, Integer plannedDelaySeconds) {
    AttemptOutcome outcome =
        c.success() ? AttemptOutcome.SUCCEEDED : c.gone() ? AttemptOutcome.GONE : AttemptOutcome.FAILED;
    Integer nextDelay =
        outcome.isFailure() && plannedDelaySeconds != null
            ? RetrySchedule.withRetryAfter(plannedDelaySeconds, c.retryAfterSeconds())
            : null;
    DeliveryStatus status =
        outcome == AttemptOutcome.SUCCEEDED
            ? DeliveryStatus.SUCCEEDED
            : nextDelay != null ? DeliveryStatus.RETRYING : DeliveryStatus.FAILED;
    return new Verdict(outcome, nextDelay, status);
  }

  /** The attempt's outcome as recorded. */
  public Outcome recorded() {
    return Outcome.of(outcome == AttemptOutcome.SUCCEEDED);
  }

  /** How the workflow goes on after an attempt recorded before: a 410 Gone as such. */
  public static AttemptOutcome ofRecorded(Attempt a) {
    return a.outcome().succeeded() ? AttemptOutcome.SUCCEEDED
        : Integer.valueOf(410).equals(a.statusCode()) ? AttemptOutcome.GONE : AttemptOutcome.FAILED;
  }

  /** PostgreSQL text cannot hold NUL; an endpoint's answer may. */
  public static String storable(String body) {
    return body == null ? null : body.replace('\u0000', '\uFFFD');
  }

  /** {@code HTTP 503 in 120 ms}, {@code timeout in 5000 ms}. */
  public static String describe(Integer statusCode, String error, long durationMs) {
    String what = statusCode != null && error == null ? "HTTP " + statusCode : error;
    return what + " in " + durationMs + " ms";
  }
}
