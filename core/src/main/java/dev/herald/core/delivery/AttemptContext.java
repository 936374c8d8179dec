package dev.herald.core.delivery;

import dev.herald.core.subscription.BuiltRequest;
import java.time.Instant;
import java.util.Map;
import dev.herald.core.subscription.Subscription;

/**
 * Everything an attempt reads: the delivery, its subscription ({@code null} once deleted), the
 * exact payload bytes, as text, the event's attributes, and the request the delivery's first
 * attempt built ({@code null} before it), and until when the endpoint asked every attempt to wait
 * with {@code Retry-After} ({@code null} when it did not, or long ago), and the attempt of the
 * number asked for when it is recorded already ({@code null} otherwise).
 */
public record AttemptContext(
    Delivery delivery,
    Subscription subscription,
    String payload,
    Map<String, String> attributes,
    BuiltRequest built,
    Instant endpointBackoffUntil,
    Attempt recorded) {

  /** Context with no attempt of this number recorded yet. */
  public AttemptContext(
      Delivery delivery, Subscription subscription, String payload, Map<String, String> attributes,
      BuiltRequest built, Instant endpointBackoffUntil) {
    this(delivery, subscription, payload, attributes, built, endpointBackoffUntil, null);
  }

  /** Context with no {@code Retry-After} of the endpoint's running. */
  public AttemptContext(
      Delivery delivery, Subscription subscription, String payload, Map<String, String> attributes,
      BuiltRequest built) {
    this(delivery, subscription, payload, attributes, built, null);
  }
}
