package dev.herald.core.retention;

import dev.herald.core.job.JobStatus;
import dev.herald.model.DeliveryStatus;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Removes what the retention period no longer keeps: finished deliveries completed before a
 * cutoff with every row that hangs on them, then the events no delivery refers to any more that
 * are older than the cutoff. Unfinished deliveries, and so their events, are never touched.
 */
public final class RetentionDao {

  private static final String FINISHED =
      DeliveryStatus.sqlList(DeliveryStatus.SUCCEEDED, DeliveryStatus.FAILED, DeliveryStatus.CANCELLED);

  // One statement, one range of deliveries_finished. SKIP LOCKED: a delivery whose row another
  // transaction holds (an attempt being recorded, a retry by hand) is left for a later batch
  // instead of waiting for it. A delivery still waiting in a running recovery job stays.
  private static final String DELIVERIES =
      "WITH picked AS (SELECT d.id FROM deliveries d WHERE d.status IN " + FINISHED
          + " AND d.completed_at < :cutoff AND NOT EXISTS (SELECT 1 FROM job_items i"
          + " JOIN jobs j ON j.id = i.job_id WHERE i.delivery_id = d.id AND j.status = "
          + JobStatus.RUNNING.sql() + ")"
          + " ORDER BY d.completed_at LIMIT :limit FOR UPDATE OF d SKIP LOCKED),"
          + " requests AS (DELETE FROM delivery_requests WHERE delivery_id IN"
          + " (SELECT id FROM picked)),"
          + " attempts AS (DELETE FROM attempts WHERE delivery_id IN (SELECT id FROM picked)"
          + " RETURNING 1),"
          + " leases AS (DELETE FROM attempt_leases WHERE delivery_id IN (SELECT id FROM picked)),"
          + " items AS (DELETE FROM job_items WHERE delivery_id IN (SELECT id FROM picked)),"
          + " gone AS (DELETE FROM deliveries WHERE id IN (SELECT id FROM picked)"
          + " RETURNING tenant_id, event_id),"
          + " keys AS (SELECT DISTINCT tenant_id, event_id FROM gone)"
          + " SELECT (SELECT count(*) FROM gone) AS deliveries,"
          + " (SELECT count(*) FROM attempts) AS attempts,"
          + " (SELECT array_agg(tenant_id ORDER BY tenant_id, event_id) FROM keys) AS tenants,"
          + " (SELECT array_agg(event_id ORDER BY tenant_id, event_id) FROM keys) AS events";

  // The events of the deliveries just removed, and the oldest events that made no delivery at
  // all; of those, the ones older than the cutoff that no delivery refers to any more go, and
  // each tenant's purged feed position moves up to the highest one removed.
  private static final String EVENTS =
      "WITH candidates AS (SELECT * FROM unnest(CAST(:tenants AS text[]),"
          + " CAST(:events AS text[])) AS k(tenant_id, id)"
          + " UNION (SELECT tenant_id, id FROM events WHERE delivery_count = 0"
          + " AND created_at < :cutoff ORDER BY created_at LIMIT :limit)),"
          + " locked AS (SELECT e.tenant_id, e.id FROM events e JOIN candidates c"
          + " ON e.tenant_id = c.tenant_id AND e.id = c.id WHERE e.created_at < :cutoff"
          + " AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.tenant_id = e.tenant_id"
          + " AND d.event_id = e.id) FOR UPDATE OF e SKIP LOCKED),"
          + " gone AS (DELETE FROM events e USING locked l WHERE e.tenant_id = l.tenant_id"
          + " AND e.id = l.id RETURNING e.tenant_id, e.seq, e.delivery_count),"
          + " feed AS (INSERT INTO event_feed_purged (tenant_id, position)"
          + " SELECT tenant_id, max(seq) FROM gone WHERE seq IS NOT NULL GROUP BY tenant_id"
          + " ON CONFLICT (tenant_id) DO UPDATE"
          + " SET position = GREATEST(event_feed_purged.position, EXCLUDED.position))"
          + " SELECT count(*) AS events, count(*) FILTER (WHERE delivery_count = 0) AS undelivered"
          + " FROM gone";

  // Finished batches none of whose deliveries is left: a batch's deliveries finish with it, so
  // they go in the same batch of retention, or later when one was retried by hand.
  private static final String BATCHES =
      "DELETE FROM batches WHERE id IN (SELECT b.id FROM batches b WHERE b.status IN " + FINISHED
          + " AND b.completed_at < :cutoff AND NOT EXISTS (SELECT 1 FROM deliveries d"
          + " WHERE d.batch_id = b.id) ORDER BY b.completed_at LIMIT :limit"
          + " FOR UPDATE SKIP LOCKED)";

  private final Jdbi jdbi;

  public RetentionDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Removes, in one short transaction, up to {@code limit} finished deliveries completed before
   * {@code cutoff} (oldest first) with their attempts, built requests, leases and recovery items,
   * then the events left without a delivery that are older than the cutoff: theirs, and up to
   * {@code limit} that never had one, and the finished batches left without a delivery. Rows
   * another transaction holds are skipped, not waited for.
   */
  public Purged purgeBatch(Instant cutoff, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    Timestamp before = Timestamp.from(cutoff);
    return jdbi.inTransaction(h -> {
      Removed removed = h.createQuery(DELIVERIES)
          .bind("cutoff", before)
          .bind("limit", limit)
          .map((rs, ctx) -> new Removed(rs.getInt("deliveries"), rs.getInt("attempts"),
              strings(rs.getArray("tenants")), strings(rs.getArray("events"))))
          .one();
      int[] events = events(h, before, limit, removed);
      if (removed.deliveries() > 0) {
        h.createUpdate(BATCHES).bind("cutoff", before).bind("limit", limit).execute();
      }
      boolean full = removed.deliveries() == limit || events[1] == limit;
      return new Purged(removed.deliveries(), removed.attempts(), events[0], full);
    });
  }

  /**
   * Removes up to {@code limit} rows of per-subscription statistics ({@code attempt_stats} and
   * {@code attempt_errors} each) whose bucket started before {@code before}: one short statement
   * over an index range each.
   *
   * @return the rows removed from both tables
   */
  public int purgeStatistics(Instant before, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    return jdbi.withHandle(h -> h.createQuery(
            "WITH s AS (DELETE FROM attempt_stats WHERE ctid IN (SELECT ctid FROM attempt_stats"
                + " WHERE bucket_start < :before LIMIT :limit) RETURNING 1),"
                + " e AS (DELETE FROM attempt_errors WHERE ctid IN (SELECT ctid FROM attempt_errors"
                + " WHERE bucket_start < :before LIMIT :limit) RETURNING 1)"
                + " SELECT (SELECT count(*) FROM s) + (SELECT count(*) FROM e)")
        .bind("before", Timestamp.from(before))
        .bind("limit", limit)
        .mapTo(Integer.class)
        .one());
  }

  /**
   * Removes up to {@code limit} finished recovery jobs completed before {@code cutoff} (with any
   * items a failed one left) and up to {@code limit} notifications made before it: what owners
   * read about their subscriptions, kept as long as deliveries are. A running job stays.
   *
   * @return {@code {jobs removed, notifications removed}}
   */
  public int[] purgeRecords(Instant cutoff, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    return jdbi.inTransaction(h -> h.createQuery(
            "WITH picked AS (SELECT id FROM jobs WHERE status IN ("
                + JobStatus.COMPLETED.sql() + ", " + JobStatus.FAILED.sql() + ")"
                + " AND completed_at < :cutoff ORDER BY completed_at LIMIT :limit"
                + " FOR UPDATE SKIP LOCKED),"
                + " items AS (DELETE FROM job_items WHERE job_id IN (SELECT id FROM picked)),"
                + " jobs AS (DELETE FROM jobs WHERE id IN (SELECT id FROM picked) RETURNING 1),"
                + " notices AS (DELETE FROM notifications WHERE id IN (SELECT id FROM"
                + " notifications WHERE created_at < :cutoff ORDER BY created_at LIMIT :limit"
                + " FOR UPDATE SKIP LOCKED) RETURNING 1)"
                + " SELECT (SELECT count(*) FROM jobs) AS jobs,"
                + " (SELECT count(*) FROM notices) AS notifications")
        .bind("cutoff", Timestamp.from(cutoff))
        .bind("limit", limit)
        .map((rs, ctx) -> new int[] {rs.getInt("jobs"), rs.getInt("notifications")})
        .one());
  }

  /** {@code {events removed, of which never delivered}}. */
  private static int[] events(Handle h, Timestamp cutoff, int limit, Removed removed) {
    return h.createQuery(EVENTS)
        .bindArray("tenants", String.class, removed.tenants())
        .bindArray("events", String.class, removed.events())
        .bind("cutoff", cutoff)
        .bind("limit", limit)
        .map((rs, ctx) -> new int[] {rs.getInt("events"), rs.getInt("undelivered")})
        .one();
  }

  private static List<String> strings(Array array) throws SQLException {
    return array == null ? List.of() : List.of((String[]) array.getArray());
  }

  /** The deliveries' statement's answer: counts, and the removed deliveries' events. */
  private record Removed(int deliveries, int attempts, List<String> tenants, List<String> events) {}
}
