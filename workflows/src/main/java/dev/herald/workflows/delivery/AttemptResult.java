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
 * @param summary a short human line, e.g. {@code HTTP 503 in 120 ms}
 */
public record AttemptResult(
    AttemptOutcome outcome,
    Integer statusCode,
    String error,
    long durationMs,
    Integer nextDelaySeconds,
    String summary) {}
