package dev.herald.core.job;

import dev.herald.core.delivery.DeliveryDao;
import dev.herald.model.DeliveryInput;
import dev.herald.core.ids.Ids;
import dev.herald.model.DeliveryStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Jobs and their progress. A recovery is created with the list of deliveries it covers (those
 * failed in its window at that moment) and is then worked through in batches, each of which
 * reopens deliveries and advances the job in one transaction.
 */
public final class JobDao {

  private static final String COLUMNS =
      "id, tenant_id, type, subscription_id, window_start, window_end, status, total, done,"
          + " failed, created_at, updated_at, completed_at";

  private final Jdbi jdbi;
  private final DeliveryDao deliveries;
  private final Ids ids;

  public JobDao(Jdbi jdbi, DeliveryDao deliveries, Ids ids) {
    this.jdbi = jdbi;
    this.deliveries = deliveries;
    this.ids = ids;
  }

  /**
   * Starts recovering a window, or finds the running recovery of the same window: requests for
   * one subscription are serialised by a transaction-scoped advisory lock, and the partial unique
   * index {@code jobs_one_running_recovery} holds whatever happens.
   *
   * @return empty when the tenant has no such subscription (or it was deleted)
   */
  public Optional<CreatedJob> createRecovery(RecoveryRequest r, Instant now) {
    Instant at = now.truncatedTo(ChronoUnit.MICROS);
    Instant since = r.since().truncatedTo(ChronoUnit.MICROS);
    Instant until = r.until() == null ? at : r.until().truncatedTo(ChronoUnit.MICROS);
    return jdbi.inTransaction(
        h -> {
          boolean live =
              h.createQuery(
                      "SELECT id FROM subscriptions WHERE id = :s AND tenant_id = :t"
                          + " AND deleted_at IS NULL")
                  .bind("s", r.subscriptionId())
                  .bind("t", r.tenantId())
                  .mapTo(String.class)
                  .findOne()
                  .isPresent();
          if (!live) {
            return Optional.<CreatedJob>empty();
          }
          h.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))) l")
              .bind("key", "recover:" + r.subscriptionId())
              .mapTo(Integer.class)
              .one();
          // Without an end, "until now" is the same window as any running one from the same start.
          Optional<Job> running =
              h.createQuery(
                      "SELECT " + COLUMNS + " FROM jobs WHERE subscription_id = :s"
                          + " AND type = 'recover' AND status = " + JobStatus.RUNNING.sql()
                          + " AND window_start = :since"
                          + " AND (:anyEnd OR window_end = :until) ORDER BY created_at LIMIT 1")
                  .bind("s", r.subscriptionId())
                  .bind("since", Timestamp.from(since))
                  .bind("anyEnd", r.until() == null)
                  .bind("until", Timestamp.from(until))
                  .map((rs, ctx) -> map(rs))
                  .findOne();
          if (running.isPresent()) {
            return Optional.of(new CreatedJob(running.get(), false));
          }
          String id = ids.next("job");
          h.createUpdate(
                  "INSERT INTO jobs (id, tenant_id, type, subscription_id, window_start, window_end,"
                      + " status, total, created_at, updated_at) VALUES (:id, :t, 'recover', :s,"
                      + " :since, :until, " + JobStatus.RUNNING.sql() + ", 0, :now, :now)")
              .bind("id", id)
              .bind("t", r.tenantId())
              .bind("s", r.subscriptionId())
              .bind("since", Timestamp.from(since))
              .bind("until", Timestamp.from(until))
              .bind("now", Timestamp.from(at))
              .execute();
          int total =
              h.createUpdate(
                      "INSERT INTO job_items (job_id, delivery_id, created_at)"
                          + " SELECT :id, d.id, d.created_at FROM deliveries d"
                          + " WHERE d.subscription_id = :s AND d.status = " + DeliveryStatus.FAILED.sql() + ""
                          + " AND d.created_at >= :since AND d.created_at < :until")
                  .bind("id", id)
                  .bind("s", r.subscriptionId())
                  .bind("since", Timestamp.from(since))
                  .bind("until", Timestamp.from(until))
                  .execute();
          h.createUpdate("UPDATE jobs SET total = :total WHERE id = :id")
              .bind("total", total)
              .bind("id", id)
              .execute();
          return Optional.of(new CreatedJob(load(h, id, false), true));
        });
  }

  public Optional<Job> find(String tenantId, String id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE tenant_id = :t AND id = :id")
                .bind("t", tenantId)
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne());
  }

  /** A job by id alone: for the worker, which acts for every tenant. */
  public Optional<Job> findById(String id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne());
  }

  /**
   * One batch of a recovery, in one transaction with the job's row locked: takes up to {@code
   * limit} of its deliveries after its position, oldest first, reopens those still failed (for
   * one more attempt), and advances the position and the counters. A batch that finds nothing
   * completes the job; one that finds the subscription deleted fails it, counting what was left
   * as failed. A finished job is returned as it is, so a batch repeated after a crash changes
   * nothing that its first run committed.
   *
   * @throws IllegalArgumentException when there is no such job
   */
  public RecoveryStep recoverBatch(String jobId, int limit, Instant now) {
    Timestamp at = Timestamp.from(now.truncatedTo(ChronoUnit.MICROS));
    return jdbi.inTransaction(
        h -> {
          Job job = load(h, jobId, true);
          if (!job.running()) {
            return new RecoveryStep(job, List.of());
          }
          boolean subscriptionLive =
              h.createQuery("SELECT deleted_at IS NULL FROM subscriptions WHERE id = :s")
                  .bind("s", job.subscriptionId())
                  .mapTo(Boolean.class)
                  .one();
          if (!subscriptionLive) {
            int left =
                h.createUpdate("DELETE FROM job_items WHERE job_id = :id").bind("id", jobId).execute();
            finish(h, jobId, JobStatus.FAILED, left, at);
            return new RecoveryStep(load(h, jobId, false), List.of());
          }
          List<Item> items =
              h.createQuery(
                      "SELECT i.delivery_id, i.created_at FROM job_items i JOIN jobs j ON j.id = i.job_id"
                          + " WHERE i.job_id = :id AND (j.position_id IS NULL OR (i.created_at,"
                          + " i.delivery_id) > (j.position_created_at, j.position_id))"
                          + " ORDER BY i.created_at, i.delivery_id LIMIT :limit")
                  .bind("id", jobId)
                  .bind("limit", limit)
                  .map((rs, ctx) -> new Item(rs.getString("delivery_id"), rs.getTimestamp("created_at")))
                  .list();
          if (items.isEmpty()) {
            finish(h, jobId, JobStatus.COMPLETED, 0, at);
            return new RecoveryStep(load(h, jobId, false), List.of());
          }
          List<DeliveryInput> reopened =
              deliveries.reopenFailed(h, items.stream().map(Item::deliveryId).toList(), now);
          Item last = items.get(items.size() - 1);
          h.createUpdate(
                  "UPDATE jobs SET done = done + :done, failed = failed + :failed,"
                      + " position_created_at = :pc, position_id = :pid, updated_at = :now"
                      + " WHERE id = :id")
              .bind("done", reopened.size())
              .bind("failed", items.size() - reopened.size())
              .bind("pc", last.createdAt())
              .bind("pid", last.deliveryId())
              .bind("now", at)
              .bind("id", jobId)
              .execute();
          h.createUpdate(
                  "DELETE FROM job_items WHERE job_id = :id AND (created_at, delivery_id) <= (:pc, :pid)")
              .bind("id", jobId)
              .bind("pc", last.createdAt())
              .bind("pid", last.deliveryId())
              .execute();
          return new RecoveryStep(load(h, jobId, false), reopened);
        });
  }

  /**
   * Running jobs untouched since {@code cutoff}: a running recovery advances its row every
   * second, so these have lost their workflow, or never had one. Oldest first.
   */
  public List<Job> findStale(Instant cutoff, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT " + COLUMNS + " FROM jobs WHERE status = " + JobStatus.RUNNING.sql()
                        + " AND updated_at < :cutoff ORDER BY updated_at LIMIT :limit")
                .bind("cutoff", Timestamp.from(cutoff))
                .bind("limit", limit)
                .map((rs, ctx) -> map(rs))
                .list());
  }

  /**
   * Ends a running job as {@code failed} (its workflow was terminated), counting what it had not
   * reached as failed. A finished job stays as it was.
   *
   * @return whether the job changed
   */
  public boolean markFailed(String jobId, Instant now) {
    Timestamp at = Timestamp.from(now.truncatedTo(ChronoUnit.MICROS));
    return jdbi.inTransaction(
        h -> {
          if (!load(h, jobId, true).running()) {
            return false;
          }
          int left = h.createUpdate("DELETE FROM job_items WHERE job_id = :id").bind("id", jobId).execute();
          finish(h, jobId, JobStatus.FAILED, left, at);
          return true;
        });
  }

  private static void finish(Handle h, String jobId, JobStatus status, int failed, Timestamp at) {
    h.createUpdate(
            "UPDATE jobs SET status = :status, failed = failed + :failed, updated_at = :now,"
                + " completed_at = :now WHERE id = :id")
        .bind("status", status.wireName())
        .bind("failed", failed)
        .bind("now", at)
        .bind("id", jobId)
        .execute();
  }

  private static Job load(Handle h, String id, boolean lock) {
    return h.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE id = :id" + (lock ? " FOR UPDATE" : ""))
        .bind("id", id)
        .map((rs, ctx) -> map(rs))
        .findOne()
        .orElseThrow(() -> new IllegalArgumentException("no job " + id));
  }

  private record Item(String deliveryId, Timestamp createdAt) {}

  private static Job map(ResultSet rs) throws SQLException {
    return new Job(
        rs.getString("id"),
        rs.getString("tenant_id"),
        rs.getString("type"),
        rs.getString("subscription_id"),
        instant(rs, "window_start"),
        instant(rs, "window_end"),
        JobStatus.fromWireName(rs.getString("status")),
        rs.getInt("total"),
        rs.getInt("done"),
        rs.getInt("failed"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"),
        instant(rs, "completed_at"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
