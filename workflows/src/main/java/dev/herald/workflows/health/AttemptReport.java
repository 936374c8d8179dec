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
 * @param failuresInARow the subscription's failed attempts in a row after this one, as PostgreSQL
 *     counts them; null in reports made before PostgreSQL counted (each counted one then)
 * @param failingSinceMillis when that streak began (epoch milliseconds), as PostgreSQL keeps it;
 *     null where {@code failuresInARow} is
 */
public record AttemptReport(
    String attemptId,
    String deliveryId,
    long atMillis,
    Integer statusCode,
    String error,
    int disableAfterFailures,
    int disableAfterSeconds,
    Integer failuresInARow,
    Long failingSinceMillis) {

  /** A report without PostgreSQL's count: the workflow counts it as one more failure. */
  public AttemptReport(
      String attemptId, String deliveryId, long atMillis, Integer statusCode, String error,
      int disableAfterFailures, int disableAfterSeconds) {
    this(attemptId, deliveryId, atMillis, statusCode, error, disableAfterFailures,
        disableAfterSeconds, null, null);
  }

  /** Whether it carries PostgreSQL's count and the streak's start. */
  public boolean counted() {
    return failuresInARow != null && failingSinceMillis != null;
  }

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
