package dev.herald.activities.http;

import dev.herald.activities.http.WebhookRequest.Header;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A typical signed webhook and small helpers shared by the sender tests. */
final class Webhooks {

  static final String USER_AGENT = "Herald/0.1.0-test";

  /** Non-ASCII on purpose: the bytes must arrive unchanged. */
  static final byte[] BODY =
      "{\"id\":\"evt_1\",\"type\":\"order.paid\",\"data\":{\"name\":\"Zoë ✓\"}}"
          .getBytes(StandardCharsets.UTF_8);

  static final List<Header> HEADERS =
      List.of(
          new Header("content-type", "application/json"),
          new Header("webhook-id", "evt_1"),
          new Header("webhook-timestamp", "1614265330"),
          new Header("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
          new Header("herald-event-type", "order.paid"),
          new Header("herald-delivery-id", "dlv_1"),
          new Header("herald-attempt", "1"),
          new Header("X-Team", "billing"));

  private Webhooks() {}

  static WebhookSender sender(int maxConnections) {
    return new WebhookSender(new WebhookSender.Settings(maxConnections, USER_AGENT));
  }

  static WebhookRequest post(String url, Duration timeout) {
    return new WebhookRequest(URI.create(url), BODY, HEADERS, timeout);
  }

  static String errorCode(HttpExchange exchange) {
    return OutcomeClassifier.classify(exchange, Instant.now()).errorCode();
  }

  /** Runs {@code action} and answers how long it took, in milliseconds. */
  static long timed(Runnable action) {
    long started = System.nanoTime();
    action.run();
    return Duration.ofNanos(System.nanoTime() - started).toMillis();
  }
}
