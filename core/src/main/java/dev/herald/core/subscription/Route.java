package dev.herald.core.subscription;

import java.util.List;
import java.util.Map;

/**
 * What publishing needs of a subscription: which events it takes, and where and how its
 * deliveries go. No secrets: matching an event opens nothing sealed (a subscription's secrets are
 * opened only when an attempt signs).
 *
 * @param deliverable active and not paused: its new deliveries are pending, otherwise held
 * @param orderingKey the event attribute that orders its deliveries, or {@code null}
 * @param batched its deliveries are gathered into batches, with no workflow of their own
 */
public record Route(
    String id,
    List<String> eventTypes,
    Map<String, String> filter,
    String url,
    List<Integer> retrySchedule,
    boolean deliverable,
    Subscription.Kind kind,
    String orderingKey,
    boolean batched) {

  /** A route, unordered, whose deliveries each have a workflow of their own. */
  public Route(String id, List<String> eventTypes, Map<String, String> filter, String url,
      List<Integer> retrySchedule, boolean deliverable, Subscription.Kind kind) {
    this(id, eventTypes, filter, url, retrySchedule, deliverable, kind, null, false);
  }

  /** The route of a subscription already loaded (a one-off target, a test event's subscription). */
  public static Route of(Subscription s) {
    return new Route(s.id(), s.eventTypes(), s.filter(), s.url(), s.retrySchedule(),
        s.isDeliverable(), s.kind(), s.orderingKey(), s.isBatched());
  }

  /**
   * The key an event's delivery waits its turn in: the value of the ordering attribute, or
   * {@code null} (unordered) when the subscription is not ordered or the event lacks the
   * attribute.
   */
  public String orderingValue(Map<String, String> attributes) {
    return orderingKey == null ? null : attributes.get(orderingKey);
  }

  /** Whether an event of this type with these attributes goes this way. */
  public boolean matches(String eventType, Map<String, String> attributes) {
    return Subscription.matches(eventTypes, filter, eventType, attributes);
  }

  public boolean isOneOff() {
    return kind == Subscription.Kind.ONE_OFF;
  }
}
