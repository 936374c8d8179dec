package dev.herald.workflows.health;

/**
 * One attempt, as the attempt activity reports it to the subscription's health workflow.
 *
 * @param attemptId the attempt's id ({@code att_…}); a report seen before is ignored
 * @param deliveryId the delivery it belongs to
 * @param atMillis when the attempt finished (epoch milliseconds); a failure that finished before
 *     the last success does not count
 * @param statusCode the endpoint's status, or null when there was no answer
 * @param error Herald's error code ({@code timeout}, {@code connection_refused}, …), or null
 * @param disableAfterFailures the subscription's threshold when the attempt was made (0: never)
 * @param disableAfterSeconds how old the streak's first failure must be before disabling
 */
public record AttemptReport(
    String attemptId,
    String deliveryId,
    long atMillis,
    Integer statusCode,
    String error,
    int disableAfterFailures,
    int disableAfterSeconds) {

  /** Whether the endpoint said 410 Gone, which disables the subscription at once. */
  public boolean gone() {
    return statusCode != null && statusCode == 410;
  }

  /** {@code HTTP 503}, or the error code. */
  public String describe() {
    if (statusCode != null) {
      return "HTTP " + statusCode;
    }
    return error == null ? "no answer" : error;
  }
}
