package dev.herald.workflows.delivery;

/**
 * What one attempt came to, as recorded in PostgreSQL.
 *
 * @param outcome how the workflow goes on
 * @param statusCode the endpoint's HTTP status, or {@code null} when no response arrived
 * @param error an error code ({@code timeout}, {@code connection_refused}, {@code dns}, {@code
 *     tls}, {@code redirect}, {@code blocked_address}, …) or {@code null}
 * @param durationMs how long the exchange took
 * @param nextDelaySeconds when the outcome is a failure with attempts left: the wait before the
 *     next attempt (the planned delay, or longer if {@code Retry-After} asked); otherwise {@code null}
 * @param summary a short human line, e.g. {@code HTTP 503 in 120 ms}; for {@link
 *     AttemptOutcome#WAIT}, why it waits
 * @param waitMillis for {@link AttemptOutcome#WAIT}: the least wait before asking again
 * @param reserved for {@link AttemptOutcome#WAIT}: the rate limit reserved a start after exactly
 *     {@code waitMillis}
 */
public record AttemptResult(
    AttemptOutcome outcome,
    Integer statusCode,
    String error,
    long durationMs,
    Integer nextDelaySeconds,
    String summary,
    long waitMillis,
    boolean reserved) {

  /** The result of an attempt made, or not made for good. */
  public AttemptResult(
      AttemptOutcome outcome, Integer statusCode, String error, long durationMs,
      Integer nextDelaySeconds, String summary) {
    this(outcome, statusCode, error, durationMs, nextDelaySeconds, summary, 0, false);
  }

  /** No attempt yet: wait at least {@code waitMillis} for {@code reason}. */
  public static AttemptResult waiting(String reason, long waitMillis, boolean reserved) {
    return new AttemptResult(AttemptOutcome.WAIT, null, null, 0, null, reason,
        Math.max(0, waitMillis), reserved);
  }
}
