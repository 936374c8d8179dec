package dev.herald.core.batch;

import dev.herald.core.delivery.Attempt;
import dev.herald.core.delivery.BuiltRequestDao;
import dev.herald.core.subscription.BuiltRequest;
import dev.herald.core.subscription.Batching;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.subscription.SubscriptionDao;
import dev.herald.model.DeliveryStatus;
import dev.herald.model.Outcome;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Batches: what an attempt reads, its recording on every member, holding and reopening, and what
 * the sweeper looks for. Batches are made from gathered deliveries by {@link GatheringDao}.
 */
public final class BatchDao {

  private static final String UNFINISHED =
      DeliveryStatus.sqlList(DeliveryStatus.PENDING, DeliveryStatus.RETRYING, DeliveryStatus.HELD);
  private static final String MOVING =
      DeliveryStatus.sqlList(DeliveryStatus.PENDING, DeliveryStatus.RETRYING);
  private static final String BATCH_COLUMNS =
      "b.id, b.tenant_id, b.subscription_id, b.status, b.event_count, b.body_bytes,"
          + " b.attempt_count, b.next_attempt_at, b.created_at";

  private final Jdbi jdbi;
  private final SubscriptionDao subscriptions;

  public BatchDao(Jdbi jdbi, SubscriptionDao subscriptions) {
    this.jdbi = jdbi;
    this.subscriptions = subscriptions;
  }

  /** A batch by id. */
  public Optional<Batch> find(String batchId) {
    return jdbi.withHandle(h -> find(h, batchId));
  }

  static Optional<Batch> find(Handle h, String batchId) {
    return h.createQuery("SELECT " + BATCH_COLUMNS + " FROM batches b WHERE b.id = :id")
        .bind("id", batchId)
        .map((rs, ctx) -> map(rs))
        .findOne();
  }

  /**
   * What attempt {@code number} of a batch needs: the batch, its live subscription, its members
   * with their events' bytes, and the lead's attempt of that number if recorded already.
   */
  public Optional<BatchContext> loadForAttempt(String batchId, int number) {
    return jdbi.withHandle(h -> {
      Optional<Batch> batch = find(h, batchId);
      if (batch.isEmpty()) {
        return Optional.<BatchContext>empty();
      }
      Subscription subscription =
          h.createQuery("SELECT " + SubscriptionDao.JOINED_COLUMNS + " FROM subscriptions s"
                  + " WHERE s.id = :s AND s.deleted_at IS NULL")
              .bind("s", batch.get().subscriptionId())
              .map((rs, ctx) -> subscriptions.map(rs, "s_"))
              .findOne()
              .orElse(null);
      List<BatchMember> members =
          h.createQuery("SELECT d.id, d.event_id, d.event_type, d.status, e.payload,"
                  + " e.attributes::text AS attributes"
                  + " FROM deliveries d JOIN events e ON e.tenant_id = d.tenant_id"
                  + " AND e.id = d.event_id WHERE d.batch_id = :b ORDER BY d.created_at, d.id")
              .bind("b", batchId)
              .map((rs, ctx) -> new BatchMember(rs.getString("id"), rs.getString("event_id"),
                  rs.getString("event_type"), DeliveryStatus.fromWireName(rs.getString("status")),
                  rs.getString("payload"), BuiltRequestDao.stringMap(rs.getString("attributes"))))
              .list();
      if (members.isEmpty()) {
        return Optional.<BatchContext>empty();
      }
      Attempt recorded =
          h.createQuery("SELECT id, started_at, duration_ms, status_code, response_body, error,"
                  + " outcome FROM attempts WHERE delivery_id = :d AND number = :n")
              .bind("d", members.get(0).deliveryId())
              .bind("n", number)
              .map((rs, ctx) -> new Attempt(rs.getString("id"), members.get(0).deliveryId(),
                  number, instant(rs, "started_at"), rs.getLong("duration_ms"),
                  (Integer) rs.getObject("status_code"), rs.getString("response_body"),
                  rs.getString("error"), Outcome.fromWireName(rs.getString("outcome"))))
              .findOne()
              .orElse(null);
      String standard = new String(BatchBody.standard(members), StandardCharsets.UTF_8);
      BuiltRequest built =
          h.createQuery("SELECT request_method AS r_method, request_signature::text AS r_signature,"
                  + " request_header_names::text AS r_header_names,"
                  + " request_body_format AS r_body_format, request_body AS r_body"
                  + " FROM batches WHERE id = :b")
              .bind("b", batchId)
              .map((rs, ctx) -> BuiltRequestDao.map(rs, standard))
              .findOne()
              .orElse(null);
      return Optional.of(new BatchContext(batch.get(), subscription, members, recorded, built));
    });
  }

  /**
   * Records an attempt of a batch on the batch and on every member but the lead (whose own
   * recording also keeps the subscription's record: see {@code DeliveryDao.recordAttempt}): the
   * same attempt data under each member's own attempt id, and the members' new state. Members
   * that finished meanwhile (cancelled by hand) keep their state. Repeated, it adds nothing.
   *
   * @param attemptIds one id per member after the lead, in member order
   * @param built the request this attempt built, kept for every later one (when none was kept
   *     before); null when it was read from the batch
   */
  public void recordOnMembers(
      BatchContext context, Attempt attempt, List<String> attemptIds, DeliveryStatus status,
      Instant nextAttemptAt, BuiltRequest built) {
    Instant now = attempt.startedAt().plusMillis(attempt.durationMs());
    List<String> others =
        context.members().subList(1, context.members().size()).stream()
            .map(BatchMember::deliveryId).toList();
    jdbi.useTransaction(h -> {
      // The request is kept once: the first recording's, whatever a replay built.
      h.createUpdate("UPDATE batches SET status = :status, attempt_count ="
              + " GREATEST(attempt_count, :n), next_attempt_at = :next, updated_at = :now,"
              + " completed_at = :completed,"
              + " request_signature = CASE WHEN request_method IS NULL"
              + " THEN CAST(:rSignature AS jsonb) ELSE request_signature END,"
              + " request_header_names = CASE WHEN request_method IS NULL"
              + " THEN CAST(:rHeaderNames AS jsonb) ELSE request_header_names END,"
              + " request_body_format = CASE WHEN request_method IS NULL"
              + " THEN CAST(:rFormat AS text) ELSE request_body_format END,"
              + " request_body = CASE WHEN request_method IS NULL"
              + " THEN CAST(:rBody AS bytea) ELSE request_body END,"
              + " request_method = COALESCE(request_method, CAST(:rMethod AS text))"
              + " WHERE id = :b")
          .bindMap(BuiltRequestDao.bindings(built))
          .bind("status", status.wireName())
          .bind("n", attempt.number())
          .bind("next", timestamp(nextAttemptAt))
          .bind("now", Timestamp.from(now))
          .bind("completed", status.isFinished() ? Timestamp.from(now) : null)
          .bind("b", context.batch().id())
          .execute();
      if (others.isEmpty()) {
        return;
      }
      h.createUpdate("WITH a AS (INSERT INTO attempts (id, delivery_id, number, started_at,"
              + " duration_ms, status_code, response_body, error, outcome)"
              + " SELECT u.id, u.d, :n, :startedAt, :durationMs, CAST(:statusCode AS integer),"
              + " CAST(:body AS text), CAST(:error AS text), :outcome"
              + " FROM unnest(:ids, :deliveries) AS u(id, d)"
              + " ON CONFLICT (delivery_id, number) DO NOTHING RETURNING delivery_id)"
              + " UPDATE deliveries SET status = :status, attempt_count ="
              + " GREATEST(attempt_count, :n), next_attempt_at = :next, updated_at = :now,"
              + " completed_at = :completed, waiting_reason = NULL"
              + " WHERE id = ANY(:deliveries) AND status IN " + UNFINISHED)
          .bindArray("ids", String.class, attemptIds)
          .bindArray("deliveries", String.class, others)
          .bind("n", attempt.number())
          .bind("startedAt", Timestamp.from(attempt.startedAt()))
          .bind("durationMs", attempt.durationMs())
          .bind("statusCode", attempt.statusCode())
          .bind("body", attempt.responseBody())
          .bind("error", attempt.error())
          .bind("outcome", attempt.outcome().wireName())
          .bind("status", status.wireName())
          .bind("next", timestamp(nextAttemptAt))
          .bind("now", Timestamp.from(now))
          .bind("completed", status.isFinished() ? Timestamp.from(now) : null)
          .execute();
    });
  }

  /**
   * A batch waits without an attempt for its endpoint's limits: the batch looks again at {@code
   * until}, and its waiting members say why (as a single delivery's would).
   */
  public void markWaiting(String batchId, String reason, Instant until, Instant now) {
    jdbi.useTransaction(h -> {
      h.createUpdate("UPDATE batches SET next_attempt_at = :until, updated_at = :now"
              + " WHERE id = :b AND status IN " + MOVING)
          .bind("until", Timestamp.from(until))
          .bind("now", Timestamp.from(now))
          .bind("b", batchId)
          .execute();
      h.createUpdate("UPDATE deliveries SET waiting_reason = :reason, next_attempt_at = :until,"
              + " updated_at = :now WHERE batch_id = :b AND status IN " + MOVING)
          .bind("reason", reason)
          .bind("until", Timestamp.from(until))
          .bind("now", Timestamp.from(now))
          .bind("b", batchId)
          .execute();
    });
  }

  /**
   * Takes these deliveries out of a batch that has not been sent yet (their template failed, so
   * they have no element in its body): they no longer share its attempts, the batch counts only
   * the rest, and they are no longer batched (a retry by hand sends one alone, as for any
   * finished batched delivery).
   */
  public void detach(String batchId, List<String> deliveryIds, Instant now) {
    if (deliveryIds.isEmpty()) {
      return;
    }
    jdbi.useHandle(h -> h.createUpdate("WITH gone AS (UPDATE deliveries SET batch_id = NULL,"
            + " batched = false, updated_at = :now WHERE batch_id = :b AND id = ANY(:ids)"
            + " RETURNING tenant_id, event_id)"
            + " UPDATE batches SET event_count = event_count - (SELECT count(*) FROM gone),"
            + " body_bytes = body_bytes - COALESCE((SELECT sum(octet_length(e.payload))"
            + " FROM gone g JOIN events e ON e.tenant_id = g.tenant_id AND e.id = g.event_id), 0),"
            + " updated_at = :now WHERE id = :b")
        .bind("b", batchId)
        .bindArray("ids", String.class, deliveryIds)
        .bind("now", Timestamp.from(now))
        .execute());
  }

  /**
   * Sets a batch and its unfinished members to {@code status} without an attempt: held (the
   * subscription is paused or disabled) or cancelled (it was deleted).
   */
  public void mark(String batchId, DeliveryStatus status, Instant now) {
    jdbi.useTransaction(h -> {
      h.createUpdate("UPDATE batches SET status = :status, next_attempt_at = NULL,"
              + " updated_at = :now, completed_at = :completed WHERE id = :b AND status IN "
              + UNFINISHED)
          .bind("status", status.wireName())
          .bind("now", Timestamp.from(now))
          .bind("completed", status.isFinished() ? Timestamp.from(now) : null)
          .bind("b", batchId)
          .execute();
      h.createUpdate("UPDATE deliveries SET status = :status, next_attempt_at = NULL,"
              + " updated_at = :now, completed_at = :completed, waiting_reason = NULL"
              + " WHERE batch_id = :b AND status IN " + UNFINISHED)
          .bind("status", status.wireName())
          .bind("now", Timestamp.from(now))
          .bind("completed", status.isFinished() ? Timestamp.from(now) : null)
          .bind("b", batchId)
          .execute();
    });
  }

  /**
   * The held batches of a subscription that is deliverable again, moved back to pending (their
   * members with them): their workflows are to be told.
   */
  public List<String> reopenHeld(String subscriptionId, Instant now) {
    return jdbi.inTransaction(h -> {
      List<String> reopened =
          h.createQuery("UPDATE batches b SET status = " + DeliveryStatus.PENDING.sql()
                  + ", updated_at = :now FROM subscriptions s WHERE b.subscription_id = :s"
                  + " AND b.status = " + DeliveryStatus.HELD.sql() + " AND s.id = b.subscription_id"
                  + " AND s.deleted_at IS NULL AND s.is_active AND NOT s.is_paused RETURNING b.id")
              .bind("s", subscriptionId)
              .bind("now", Timestamp.from(now))
              .mapTo(String.class)
              .list();
      if (!reopened.isEmpty()) {
        h.createUpdate("UPDATE deliveries SET status = " + DeliveryStatus.PENDING.sql()
                + ", updated_at = :now WHERE batch_id = ANY(:ids) AND status = "
                + DeliveryStatus.HELD.sql())
            .bind("now", Timestamp.from(now))
            .bindArray("ids", String.class, reopened)
            .execute();
      }
      return reopened;
    });
  }

  /**
   * Batches whose workflow should have moved them on by {@code cutoff} (pending and untouched
   * since, or retrying and due before it), and held batches of a subscription deliverable again
   * untouched since: oldest first.
   */
  public List<BatchStart> findOverdue(Instant cutoff, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + BATCH_COLUMNS + ", s.retry_schedule"
            + " FROM batches b JOIN subscriptions s ON s.id = b.subscription_id"
            + " WHERE b.updated_at < :cutoff AND ((b.status IN " + MOVING
            + " AND (b.next_attempt_at IS NULL OR b.next_attempt_at < :cutoff))"
            + " OR (b.status = " + DeliveryStatus.HELD.sql()
            + " AND s.deleted_at IS NULL AND s.is_active AND NOT s.is_paused))"
            + " ORDER BY b.updated_at LIMIT :limit")
        .bind("cutoff", Timestamp.from(cutoff))
        .bind("limit", limit)
        .map((rs, ctx) -> new BatchStart(map(rs),
            List.of((Integer[]) rs.getArray("retry_schedule").getArray())))
        .list());
  }

  /** Marks batches the sweeper looked after, so that they are not overdue again at once. */
  public void markSwept(List<String> batchIds, Instant now) {
    if (batchIds.isEmpty()) {
      return;
    }
    jdbi.useHandle(h -> h.createUpdate(
            "UPDATE batches SET updated_at = :now WHERE id = ANY(:ids) AND updated_at < :now")
        .bind("now", Timestamp.from(now))
        .bindArray("ids", String.class, batchIds)
        .execute());
  }

  /**
   * Where a batched delivery stands: being gathered (no batch yet) or in a batch; empty for a
   * delivery sent on its own.
   */
  public Optional<BatchPlace> placeOf(String deliveryId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT subscription_id, batch_id, batched"
            + " FROM deliveries WHERE id = :d AND (batched OR batch_id IS NOT NULL)")
        .bind("d", deliveryId)
        .map((rs, ctx) -> new BatchPlace(rs.getString("subscription_id"), rs.getString("batch_id"),
            rs.getBoolean("batched")))
        .findOne());
  }

  /** The batch a delivery was sent in, if it was batched and claimed. */
  public Optional<String> batchOf(String deliveryId) {
    return placeOf(deliveryId).map(BatchPlace::batchId);
  }

  private static Batch map(ResultSet rs) throws SQLException {
    return new Batch(rs.getString("id"), rs.getString("tenant_id"), rs.getString("subscription_id"),
        DeliveryStatus.fromWireName(rs.getString("status")), rs.getInt("event_count"),
        rs.getInt("body_bytes"), rs.getInt("attempt_count"), instant(rs, "next_attempt_at"),
        instant(rs, "created_at"));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  private static Timestamp timestamp(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }
}
