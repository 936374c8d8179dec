package dev.herald.core.batch;

import dev.herald.core.subscription.Batching;
import dev.herald.model.DeliveryStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The gathering of batched deliveries. A batched delivery is gathered while it is pending in no
 * batch; {@link #claim} puts the oldest of them, within the subscription's limits, into a new
 * batch row.
 */
public final class GatheringDao {

  private static final String GATHERED =
      " d.subscription_id = :s AND d.batched AND d.batch_id IS NULL AND d.status = "
          + DeliveryStatus.PENDING.sql();

  /** What a claim reads of its subscription, under a share lock. */
  private record Sub(String tenantId, boolean deliverable, Batching batching) {}

  private final Jdbi jdbi;

  public GatheringDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The subscription's batch settings and what is gathered now (counted up to one batch). */
  public GatherState gatherState(String subscriptionId) {
    return jdbi.withHandle(h -> {
      Optional<Batching> settings =
          h.createQuery("SELECT batch_max_events, batch_max_wait_seconds, batch_max_bytes"
                  + " FROM subscriptions WHERE id = :s AND deleted_at IS NULL")
              .bind("s", subscriptionId)
              .map((rs, ctx) -> Optional.ofNullable(batching(rs)))
              .findOne()
              .orElse(null);
      if (settings == null) {
        return new GatherState(false, null, 0, 0, null);
      }
      int max = settings.map(Batching::maxEvents).orElse(Batching.MAX_EVENTS);
      return h.createQuery("SELECT count(*) AS n, COALESCE(sum(bytes), 0) AS bytes,"
              + " min(created_at) AS oldest FROM (SELECT d.created_at,"
              + " octet_length(e.payload) AS bytes FROM deliveries d JOIN events e"
              + " ON e.tenant_id = d.tenant_id AND e.id = d.event_id WHERE" + GATHERED
              + " ORDER BY d.created_at, d.id LIMIT :max) g")
          .bind("s", subscriptionId)
          .bind("max", max)
          .map((rs, ctx) -> new GatherState(true, settings.orElse(null), rs.getInt("n"),
              rs.getLong("bytes"), BatchDao.instant(rs, "oldest")))
          .one();
    });
  }

  /**
   * Claims the oldest gathered deliveries into batch {@code batchId}: at most {@code maxEvents},
   * and as many as fit in {@code maxBytes} of events' JSON (at least one), in one transaction.
   * Idempotent on the id: a batch that exists already is returned as it is. While the
   * subscription is paused or disabled the gathered deliveries are held instead (its release
   * moves them back), and nothing is claimed.
   *
   * @return the new batch, or empty when nothing was claimed
   */
  public Optional<Batch> claim(String batchId, String subscriptionId, Instant now) {
    return jdbi.inTransaction(h -> {
      Optional<Batch> existing = BatchDao.find(h, batchId);
      if (existing.isPresent()) {
        return existing;
      }
      Optional<Sub> sub =
          h.createQuery("SELECT tenant_id, is_active AND NOT is_paused AS deliverable,"
                  + " batch_max_events, batch_max_wait_seconds, batch_max_bytes"
                  + " FROM subscriptions WHERE id = :s AND deleted_at IS NULL FOR SHARE")
              .bind("s", subscriptionId)
              .map((rs, ctx) -> new Sub(rs.getString("tenant_id"), rs.getBoolean("deliverable"),
                  batching(rs)))
              .findOne();
      if (sub.isEmpty()) {
        return Optional.empty();
      }
      if (!sub.get().deliverable()) {
        h.createUpdate("UPDATE deliveries d SET status = " + DeliveryStatus.HELD.sql()
                + ", updated_at = :now WHERE" + GATHERED)
            .bind("s", subscriptionId)
            .bind("now", Timestamp.from(now))
            .execute();
        return Optional.empty();
      }
      int maxEvents = sub.get().batching() == null ? Batching.MAX_EVENTS : sub.get().batching().maxEvents();
      long maxBytes = sub.get().batching() == null ? Batching.MAX_BYTES : sub.get().batching().maxBytes();
      List<String> locked =
          h.createQuery("SELECT d.id FROM deliveries d WHERE" + GATHERED
                  + " ORDER BY d.created_at, d.id LIMIT :max FOR UPDATE SKIP LOCKED")
              .bind("s", subscriptionId)
              .bind("max", maxEvents)
              .mapTo(String.class)
              .list();
      if (locked.isEmpty()) {
        return Optional.empty();
      }
      List<long[]> sizes =
          h.createQuery("SELECT octet_length(e.payload) FROM deliveries d JOIN events e"
                  + " ON e.tenant_id = d.tenant_id AND e.id = d.event_id WHERE d.id = ANY(:ids)"
                  + " ORDER BY d.created_at, d.id")
              .bindArray("ids", String.class, locked)
              .map((rs, ctx) -> new long[] {rs.getLong(1)})
              .list();
      List<String> taken = new ArrayList<>();
      long bytes = 0;
      for (int i = 0; i < locked.size(); i++) {
        long size = sizes.get(i)[0];
        if (!taken.isEmpty() && bytes + size > maxBytes) {
          break;
        }
        taken.add(locked.get(i));
        bytes += size;
      }
      Timestamp at = Timestamp.from(now);
      h.createUpdate("INSERT INTO batches (id, tenant_id, subscription_id, status, event_count,"
              + " body_bytes, created_at, updated_at) VALUES (:id, :t, :s, "
              + DeliveryStatus.PENDING.sql() + ", :n, :bytes, :now, :now)")
          .bind("id", batchId)
          .bind("t", sub.get().tenantId())
          .bind("s", subscriptionId)
          .bind("n", taken.size())
          .bind("bytes", (int) Math.min(Integer.MAX_VALUE, bytes))
          .bind("now", at)
          .execute();
      h.createUpdate("UPDATE deliveries SET batch_id = :b, updated_at = :now WHERE id = ANY(:ids)")
          .bind("b", batchId)
          .bind("now", at)
          .bindArray("ids", String.class, taken)
          .execute();
      return BatchDao.find(h, batchId);
    });
  }


  /**
   * Subscriptions with a batched delivery gathered for longer than its {@code maxWaitSeconds}
   * and {@code graceSeconds} more: their batcher was never woken, or was lost.
   */
  public List<String> findStrandedGathering(Instant now, int graceSeconds, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT d.subscription_id FROM deliveries d"
            + " JOIN subscriptions s ON s.id = d.subscription_id"
            + " WHERE d.batched AND d.batch_id IS NULL AND d.status = "
            + DeliveryStatus.PENDING.sql() + " AND d.created_at < CAST(:now AS timestamptz)"
            + " - make_interval(secs => COALESCE(s.batch_max_wait_seconds, 0) + :grace)"
            + " LIMIT :limit")
        .bind("now", Timestamp.from(now))
        .bind("grace", graceSeconds)
        .bind("limit", limit)
        .mapTo(String.class)
        .list());
  }


  private static Batching batching(ResultSet rs) throws SQLException {
    Integer events = (Integer) rs.getObject("batch_max_events");
    return events == null
        ? null
        : new Batching(events, rs.getInt("batch_max_wait_seconds"), rs.getInt("batch_max_bytes"));
  }

}
