package dev.herald.core.notification;

/**
 * Which of a tenant's notifications a list shows.
 *
 * @param subscriptionId only those about this subscription, or null for all
 * @param type only those of this type, or null for all
 */
public record NotificationFilter(String subscriptionId, String type) {

  /** Every notification. */
  public static NotificationFilter all() {
    return new NotificationFilter(null, null);
  }
}
