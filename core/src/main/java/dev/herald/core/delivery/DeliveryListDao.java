package dev.herald.core.delivery;

import dev.herald.core.db.Position;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/** A tenant's deliveries, filtered and paged newest first: what {@code GET /v1/deliveries} reads. */
public final class DeliveryListDao {

  private final Jdbi jdbi;

  public DeliveryListDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Up to {@code limit} deliveries created before {@code after} (or the newest), newest first. */
  public List<Delivery> list(String tenantId, DeliverySearch search, Position after, int limit) {
    List<String> where = new ArrayList<>(List.of("d.tenant_id = :t"));
    if (search.subscriptionId() != null) {
      where.add("d.subscription_id = :subscriptionId");
    }
    if (search.eventId() != null) {
      where.add("d.event_id = :eventId");
    }
    if (search.status() != null) {
      where.add("d.status = :status");
    }
    if (search.since() != null) {
      where.add("d.created_at >= :since");
    }
    if (search.until() != null) {
      where.add("d.created_at < :until");
    }
    if (search.kind() != null) {
      where.add("d.kind = :kind");
    }
    if (after != null) {
      where.add("(d.created_at, d.id) < (:afterCreatedAt, :afterId)");
    }
    String sql =
        "SELECT " + DeliveryDao.COLUMNS + " FROM deliveries d WHERE " + String.join(" AND ", where)
            + " ORDER BY d.created_at DESC, d.id DESC LIMIT :limit";
    return jdbi.withHandle(
        h -> {
          Query q = h.createQuery(sql).bind("t", tenantId).bind("limit", limit);
          if (search.subscriptionId() != null) {
            q.bind("subscriptionId", search.subscriptionId());
          }
          if (search.eventId() != null) {
            q.bind("eventId", search.eventId());
          }
          if (search.status() != null) {
            q.bind("status", search.status().wireName());
          }
          if (search.since() != null) {
            q.bind("since", Timestamp.from(search.since()));
          }
          if (search.until() != null) {
            q.bind("until", Timestamp.from(search.until()));
          }
          if (search.kind() != null) {
            q.bind("kind", search.kind().apiName());
          }
          if (after != null) {
            q.bind("afterCreatedAt", Timestamp.from(after.createdAt())).bind("afterId", after.id());
          }
          return q.map((rs, ctx) -> DeliveryDao.map(rs)).list();
        });
  }
}
