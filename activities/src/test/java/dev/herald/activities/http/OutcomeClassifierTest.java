package dev.herald.activities.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.net.BlockedAddressException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OutcomeClassifierTest {

  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  static Stream<Arguments> responses() {
    return Stream.of(
        // status, Retry-After, success, gone, errorCode, retryAfterSeconds
        Arguments.of(200, null, true, false, null, null),
        Arguments.of(201, null, true, false, null, null),
        Arguments.of(204, null, true, false, null, null),
        Arguments.of(299, null, true, false, null, null),
        Arguments.of(301, null, false, false, "redirect", null),
        Arguments.of(302, null, false, false, "redirect", null),
        Arguments.of(304, null, false, false, "redirect", null),
        Arguments.of(308, null, false, false, "redirect", null),
        Arguments.of(400, null, false, false, null, null),
        Arguments.of(404, null, false, false, null, null),
        Arguments.of(410, null, false, true, null, null),
        Arguments.of(500, "10", false, false, null, null),
        Arguments.of(502, null, false, false, null, null),
        Arguments.of(503, null, false, false, null, null),
        Arguments.of(429, "30", false, false, null, 30),
        Arguments.of(503, "120", false, false, null, 120),
        Arguments.of(503, " 7 ", false, false, null, 7),
        Arguments.of(503, "007", false, false, null, 7),
        Arguments.of(503, "0", false, false, null, 0),
        Arguments.of(429, "99999999999999", false, false, null, Integer.MAX_VALUE),
        Arguments.of(503, "-5", false, false, null, null),
        Arguments.of(503, "1.5", false, false, null, null),
        Arguments.of(503, "soon", false, false, null, null),
        Arguments.of(503, "", false, false, null, null),
        Arguments.of(503, "Mon, 23 Nov 2026 10:01:30 GMT", false, false, null, 90),
        Arguments.of(429, "Monday, 23-Nov-26 10:01:30 GMT", false, false, null, 90),
        Arguments.of(429, "Mon Nov 23 10:01:30 2026", false, false, null, 90),
        Arguments.of(503, "Mon, 23 Nov 2026 09:59:00 GMT", false, false, null, 0),
        Arguments.of(503, "Sun Nov  6 08:49:37 1994", false, false, null, 0),
        Arguments.of(503, "Mon, 23 Nov 2026 10:00:10.2 GMT", false, false, null, null),
        Arguments.of(503, "Mon, 32 Nov 2026 10:01:30 GMT", false, false, null, null));
  }

  @ParameterizedTest(name = "{0} with Retry-After {1}")
  @MethodSource("responses")
  void responsesAreJudgedByStatus(
      int status,
      String retryAfter,
      boolean success,
      boolean gone,
      String errorCode,
      Integer retryAfterSeconds) {
    Classification classification =
        OutcomeClassifier.classify(HttpExchange.response(status, retryAfter, null, 12), NOW);

    assertThat(classification)
        .isEqualTo(new Classification(success, gone, errorCode, retryAfterSeconds));
  }

  @Test
  void aConnectionDroppedBeforeAnAnswerIsTlsWhenAClientCertificateWasPresented() {
    HttpExchange reset = HttpExchange.failed(new java.net.SocketException("Connection reset"), 4);
    HttpExchange refused = HttpExchange.failed(new java.net.ConnectException("Connection refused"), 1);

    assertThat(OutcomeClassifier.classify(reset, NOW).errorCode()).isEqualTo("connection_error");
    assertThat(OutcomeClassifier.classify(reset, NOW, true).errorCode()).isEqualTo("tls");
    // Only a drop: a refused connect never reached TLS.
    assertThat(OutcomeClassifier.classify(refused, NOW, true).errorCode()).isEqualTo("connection_refused");
  }

  @Test
  void anHttpDateIsRoundedUpSoTheRetryIsNeverEarlierThanAsked() {
    HttpExchange exchange = HttpExchange.response(503, "Mon, 23 Nov 2026 10:01:30 GMT", null, 3);

    Classification classification = OutcomeClassifier.classify(exchange, NOW.plusMillis(200));

    assertThat(classification.retryAfterSeconds()).isEqualTo(90);
  }

  private static BlockedAddressException blocked() {
    try {
      return new BlockedAddressException(
          "rebound.example", InetAddress.getByAddress(new byte[] {10, 0, 0, 1}), "in 10.0.0.0/8");
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(new UnknownHostException("hooks.example.invalid"), "dns"),
        Arguments.of(new IOException("wrapped", new UnknownHostException("x.invalid")), "dns"),
        Arguments.of(blocked(), "blocked_address"),
        Arguments.of(new IOException("wrapped", blocked()), "blocked_address"),
        Arguments.of(new SSLHandshakeException("PKIX path building failed"), "tls"),
        Arguments.of(new SSLException("Unsupported or unrecognized SSL message"), "tls"),
        Arguments.of(
            new HttpHostConnectException("Connect to http://127.0.0.1:1 failed"),
            "connection_refused"),
        Arguments.of(new ConnectException("Connection refused"), "connection_refused"),
        Arguments.of(new ConnectTimeoutException("Connect timed out"), "timeout"),
        Arguments.of(new SocketTimeoutException("Read timed out"), "timeout"),
        Arguments.of(deadline(new SocketException("Socket closed")), "timeout"),
        Arguments.of(
            new NoHttpResponseException("127.0.0.1:8080 failed to respond"), "connection_error"),
        Arguments.of(new SocketException("Connection reset"), "connection_error"),
        Arguments.of(new IOException("something else"), "connection_error"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void failuresWithoutAResponseGetAnErrorCode(Throwable failure, String errorCode) {
    Classification classification =
        OutcomeClassifier.classify(HttpExchange.failed(failure, 5), NOW);

    assertThat(classification).isEqualTo(new Classification(false, false, errorCode, null));
  }

  @ParameterizedTest(name = "status {0}")
  @MethodSource("statusesCutOffMidBody")
  void aResponseCutOffByTheDeadlineIsATimeoutWhateverItsStatus(int status) {
    HttpExchange cutOff =
        new HttpExchange(status, "5", null, 2000, deadline(new SocketException("Socket closed")));

    assertThat(OutcomeClassifier.classify(cutOff, NOW))
        .isEqualTo(new Classification(false, false, "timeout", null));
  }

  static Stream<Integer> statusesCutOffMidBody() {
    return Stream.of(200, 410, 503);
  }

  // The shape WebhookSender gives a deadline overrun.
  private static Throwable deadline(Throwable cause) {
    SocketTimeoutException timeout =
        new SocketTimeoutException("no complete response within 2000 ms");
    timeout.initCause(cause);
    return timeout;
  }
}
