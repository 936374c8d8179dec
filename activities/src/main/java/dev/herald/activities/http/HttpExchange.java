package dev.herald.activities.http;

/**
 * The raw result of one webhook exchange, before any judgement: see {@link OutcomeClassifier} for
 * what it means.
 *
 * <p>When {@code failure} is set the exchange did not complete: no response at all ({@code
 * statusCode} null), or a response whose body did not arrive by the deadline ({@code statusCode}
 * kept for the record, but the failure decides the outcome).
 *
 * @param statusCode the response status, or null when no status line arrived
 * @param retryAfter the raw {@code Retry-After} header value, or null
 * @param responseBody at most the first {@value #MAX_BODY_BYTES} bytes of the body, decoded as
 *     UTF-8 with malformed input replaced; null when there was no response
 * @param durationMs wall time of the exchange, start to end, in milliseconds
 * @param failure why the exchange did not complete, or null when it did; a deadline overrun is a
 *     {@link java.net.SocketTimeoutException}
 */
public record HttpExchange(
    Integer statusCode,
    String retryAfter,
    String responseBody,
    long durationMs,
    Throwable failure) {

  /** How much of a response body is read and kept. */
  public static final int MAX_BODY_BYTES = 4096;

  /** A completed exchange: a status line, headers and (part of) a body arrived in time. */
  public static HttpExchange response(
      int statusCode, String retryAfter, String responseBody, long durationMs) {
    return new HttpExchange(statusCode, retryAfter, responseBody, durationMs, null);
  }

  /** An exchange that failed before it completed. */
  public static HttpExchange failed(Throwable failure, long durationMs) {
    return new HttpExchange(null, null, null, durationMs, failure);
  }

  /** True when a full response arrived in time. */
  public boolean completed() {
    return failure == null && statusCode != null;
  }
}
