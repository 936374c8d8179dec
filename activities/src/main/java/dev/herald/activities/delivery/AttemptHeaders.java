package dev.herald.activities.delivery;

import dev.herald.activities.http.WebhookRequest.Header;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.signing.WebhookSigner;
import dev.herald.core.subscription.Subscription;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The headers of one attempt (API.md §6): Herald's own first, then the subscription's. */
final class AttemptHeaders {

  private AttemptHeaders() {}

  static List<Header> of(
      Delivery delivery, Subscription subscription, int attemptNumber, Instant now, byte[] body) {
    long timestamp = now.getEpochSecond();
    List<Header> headers = new ArrayList<>();
    headers.add(new Header("content-type", "application/json"));
    headers.add(new Header("webhook-id", delivery.eventId()));
    headers.add(new Header("webhook-timestamp", Long.toString(timestamp)));
    headers.add(
        new Header(
            "webhook-signature",
            WebhookSigner.signatureHeader(
                subscription.signingSecrets(now), delivery.eventId(), timestamp, body)));
    headers.add(new Header("herald-event-type", delivery.eventType()));
    headers.add(new Header("herald-delivery-id", delivery.id()));
    headers.add(new Header("herald-attempt", Integer.toString(attemptNumber)));
    // Reserved names were refused when the subscription was saved; they cannot replace ours.
    subscription.headers().forEach((name, value) -> headers.add(new Header(name, value)));
    return headers;
  }
}
