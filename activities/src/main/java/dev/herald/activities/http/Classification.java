package dev.herald.activities.http;

/**
 * What an {@link HttpExchange} means for a delivery, as decided by {@link OutcomeClassifier}.
 *
 * @param success a 2xx arrived in time
 * @param gone a 410 arrived: the endpoint asks never to be called again
 * @param errorCode null, or a stable code for attempts that got no usable status: {@code timeout},
 *     {@code connection_refused}, {@code dns}, {@code tls}, {@code redirect}, {@code
 *     connection_error}; for other non-2xx statuses it is null and the status code tells
 * @param retryAfterSeconds seconds the endpoint asked us to wait (429 and 503 only), never
 *     negative; null when absent or unreadable. Not capped here.
 */
public record Classification(
    boolean success, boolean gone, String errorCode, Integer retryAfterSeconds) {}
