package dev.herald.api.views;

import dev.herald.core.notification.Notification;
import java.time.Instant;

/** A notification as {@code GET /v1/notifications} shows it. */
public record NotificationView(
    String id, String type, String subscriptionId, String detail, Instant createdAt) {

  public static NotificationView of(Notification n) {
    return new NotificationView(n.id(), n.type(), n.subscriptionId(), n.detail(), n.createdAt());
  }
}
