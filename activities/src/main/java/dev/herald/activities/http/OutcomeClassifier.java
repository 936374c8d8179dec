package dev.herald.activities.http;

import dev.herald.core.net.BlockedAddressException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.utils.DateUtils;

/**
 * The one place where an HTTP exchange is judged: 2xx succeeds, 410 is gone, 3xx is a
 * {@code redirect} failure, other statuses fail with their code, and exchanges without a response
 * fail with an error code. Pure: no I/O, no clock of its own.
 */
public final class OutcomeClassifier {

  // The error codes an attempt records (an attempt's {@code error} in docs/openapi.yaml).
  public static final String TIMEOUT = "timeout";
  public static final String CONNECTION_REFUSED = "connection_refused";
  public static final String DNS = "dns";
  public static final String TLS = "tls";
  public static final String REDIRECT = "redirect";
  public static final String BLOCKED_ADDRESS = "blocked_address";
  public static final String CONNECTION_ERROR = "connection_error";

  private static final Pattern DELTA_SECONDS = Pattern.compile("\\d+");
  // HttpClient's asctime formatter has no zone, so it can never yield an Instant; asctime is GMT.
  private static final DateTimeFormatter[] HTTP_DATES = {
    DateUtils.FORMATTER_RFC1123,
    DateUtils.FORMATTER_RFC1036,
    DateUtils.FORMATTER_ASCTIME.withZone(ZoneOffset.UTC)
  };

  private OutcomeClassifier() {}

  /**
   * Classifies one exchange.
   *
   * @param exchange what happened
   * @param now the moment an HTTP-date {@code Retry-After} is measured from
   */
  public static Classification classify(HttpExchange exchange, Instant now) {
    return classify(exchange, now, false);
  }

  /**
   * Classifies one exchange made with or without a client certificate. With one, a connection
   * dropped before any answer is {@code tls}: under TLS 1.3 the endpoint judges the client's
   * certificate after the client's handshake has ended, and many servers that refuse it close or
   * reset the connection without the alert that would say so.
   *
   * @param clientCertificate whether the request presented a client certificate (mutual TLS)
   */
  public static Classification classify(
      HttpExchange exchange, Instant now, boolean clientCertificate) {
    if (exchange.failure() != null || exchange.statusCode() == null) {
      String code = errorCodeOf(exchange.failure());
      if (clientCertificate && exchange.statusCode() == null && CONNECTION_ERROR.equals(code)) {
        code = TLS;
      }
      return new Classification(false, false, code, null);
    }
    int status = exchange.statusCode();
    if (status >= 200 && status < 300) {
      return new Classification(true, false, null, null);
    }
    if (status >= 300 && status < 400) {
      return new Classification(false, false, REDIRECT, null);
    }
    Integer retryAfter =
        status == 429 || status == 503 ? retryAfterSeconds(exchange.retryAfter(), now) : null;
    return new Classification(false, status == 410, null, retryAfter);
  }

  /**
   * Maps a transport failure to its error code. The outermost recognisable cause wins, because
   * HttpClient wraps low-level exceptions in more specific ones (a refused connect surfaces as
   * {@code HttpHostConnectException}).
   */
  static String errorCodeOf(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      // Before UnknownHostException, which it extends to pass through HttpClient's DnsResolver.
      if (t instanceof BlockedAddressException) {
        return BLOCKED_ADDRESS;
      }
      if (t instanceof UnknownHostException) {
        return DNS;
      }
      if (t instanceof SSLException) {
        return TLS;
      }
      if (t instanceof ConnectException) {
        return CONNECTION_REFUSED;
      }
      // SocketTimeoutException, ConnectTimeoutException, ConnectionRequestTimeoutException
      if (t instanceof InterruptedIOException) {
        return TIMEOUT;
      }
    }
    return CONNECTION_ERROR;
  }

  /** Delta-seconds or an HTTP-date (RFC 9110 §10.2.3); null when unreadable, 0 when past. */
  static Integer retryAfterSeconds(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String trimmed = value.trim();
    if (DELTA_SECONDS.matcher(trimmed).matches()) {
      String digits = trimmed.replaceFirst("^0+(?=\\d)", "");
      // Absurdly large values saturate; the caller caps them to its own maximum.
      return digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
    }
    // Collapse runs of spaces: asctime pads single-digit days ("Nov  6").
    Instant date = DateUtils.parseDate(trimmed.replaceAll("\\s+", " "), HTTP_DATES);
    if (date == null) {
      return null;
    }
    long millis = Duration.between(now, date).toMillis();
    if (millis <= 0) {
      return 0;
    }
    // Round up: the endpoint asked for no earlier than this moment.
    return (int) Math.min(Integer.MAX_VALUE, (millis + 999) / 1000);
  }
}
