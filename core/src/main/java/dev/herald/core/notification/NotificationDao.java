package dev.herald.core.notification;

import dev.herald.core.db.Position;
import java.sql.Timestamp;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Notifications in PostgreSQL, each recorded once per happening. */
public final class NotificationDao {

  private final Jdbi jdbi;

  public NotificationDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Records the notification unless one with this key exists: the key names the happening, so a
   * retried caller records it once.
   *
   * @return false when the key was recorded before (nothing was written)
   */
  public boolean insertIfAbsent(Notification n, String noticeKey) {
    return jdbi.withHandle(
        h ->
            h.createUpdate(
                        "INSERT INTO notifications (id, tenant_id, type, subscription_id, detail,"
                            + " notice_key, created_at) VALUES (:id, :t, :type, :s, :detail, :key,"
                            + " :createdAt) ON CONFLICT (notice_key) DO NOTHING")
                    .bind("id", n.id())
                    .bind("t", n.tenantId())
                    .bind("type", n.type())
                    .bind("s", n.subscriptionId())
                    .bind("detail", n.detail())
                    .bind("key", noticeKey)
                    .bind("createdAt", Timestamp.from(n.createdAt()))
                    .execute()
                > 0);
  }

  /**
   * A page of the tenant's notifications that pass the filter, newest first: those created
   * before the position {@code after} (exclusive), or from the newest when it is null.
   */
  public List<Notification> list(
      String tenantId, NotificationFilter filter, Position after, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT id, tenant_id, type, subscription_id, detail, created_at"
                        + " FROM notifications WHERE tenant_id = :t"
                        + (filter.subscriptionId() == null ? "" : " AND subscription_id = :s")
                        + (filter.type() == null ? "" : " AND type = :type")
                        + (after == null ? "" : " AND (created_at, id) < (:createdAt, :id)")
                        + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                .bind("t", tenantId)
                .bind("s", filter.subscriptionId())
                .bind("type", filter.type())
                .bind("createdAt", after == null ? null : Timestamp.from(after.createdAt()))
                .bind("id", after == null ? null : after.id())
                .bind("limit", limit)
                .map(
                    (rs, ctx) ->
                        new Notification(
                            rs.getString("id"),
                            rs.getString("tenant_id"),
                            rs.getString("type"),
                            rs.getString("subscription_id"),
                            rs.getString("detail"),
                            rs.getTimestamp("created_at").toInstant()))
                .list());
  }
}
