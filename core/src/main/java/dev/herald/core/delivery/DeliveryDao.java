package dev.herald.core.delivery;

import dev.herald.core.stats.AttemptStatsDao;
import dev.herald.core.subscription.BuiltRequest;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.subscription.SubscriptionDao;
import dev.herald.model.DeliveryInput;
import dev.herald.model.DeliveryStatus;
import dev.herald.model.Outcome;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/** Deliveries and their attempts. */
public final class DeliveryDao {

  static final String COLUMNS =
      "d.id, d.tenant_id, d.event_id, d.subscription_id, d.event_type, d.status, d.attempt_count,"
          + " d.next_attempt_at, d.created_at, d.updated_at, d.completed_at, d.kind, d.waiting_reason,"
          + " CASE WHEN d.kind = 'one-off' THEN (SELECT s.url FROM subscriptions s"
          + " WHERE s.id = d.subscription_id) END AS target_url";
  private static final String UNFINISHED =
      DeliveryStatus.sqlList(DeliveryStatus.PENDING, DeliveryStatus.RETRYING, DeliveryStatus.HELD);
  /** Unfinished and not held: a workflow is (or should be) moving it on. */
  private static final String MOVING =
      DeliveryStatus.sqlList(DeliveryStatus.PENDING, DeliveryStatus.RETRYING);
  private static final String FINISHED =
      DeliveryStatus.sqlList(DeliveryStatus.SUCCEEDED, DeliveryStatus.FAILED, DeliveryStatus.CANCELLED);
  private static final String PENDING = DeliveryStatus.PENDING.sql();
  private static final String HELD = DeliveryStatus.HELD.sql();
  private static final String FAILED = DeliveryStatus.FAILED.sql();

  private final Jdbi jdbi;
  private final SubscriptionDao subscriptions;

  public DeliveryDao(Jdbi jdbi, SubscriptionDao subscriptions) {
    this.jdbi = jdbi;
    this.subscriptions = subscriptions;
  }

  public Optional<Delivery> find(String tenantId, String id) {
    return jdbi.withHandle(h -> find(h, tenantId, id));
  }

  private Optional<Delivery> find(Handle h, String tenantId, String id) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM deliveries d WHERE d.tenant_id = :t AND d.id = :id")
        .bind("t", tenantId)
        .bind("id", id)
        .map((rs, ctx) -> map(rs))
        .findOne();
  }

  /** A delivery and its attempts. */
  public record WithAttempts(Delivery delivery, List<Attempt> attempts) {}

  /**
   * A tenant's delivery with its attempts, oldest first, read from one snapshot: an attempt
   * recorded meanwhile shows in both or in neither, so the status always matches the attempts
   * listed.
   */
  public Optional<WithAttempts> findWithAttempts(String tenantId, String id) {
    return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ,
        h -> find(h, tenantId, id).map(d -> new WithAttempts(d, attempts(h, d.id()))));
  }

  /** A delivery by id alone: for the worker, which acts for every tenant. */
  public Optional<Delivery> findById(String id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM deliveries d WHERE d.id = :id")
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne());
  }

  public List<Delivery> listForEvent(String tenantId, String eventId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT " + COLUMNS + " FROM deliveries d"
                        + " WHERE d.tenant_id = :t AND d.event_id = :e ORDER BY d.id")
                .bind("t", tenantId)
                .bind("e", eventId)
                .map((rs, ctx) -> map(rs))
                .list());
  }

  public List<Attempt> attempts(String deliveryId) {
    return jdbi.withHandle(h -> attempts(h, deliveryId));
  }

  private static List<Attempt> attempts(Handle h, String deliveryId) {
    return h.createQuery(
            "SELECT id, delivery_id, number, started_at, duration_ms, status_code,"
                + " response_body, error, outcome FROM attempts WHERE delivery_id = :d"
                + " ORDER BY number")
        .bind("d", deliveryId)
        .map((rs, ctx) -> mapAttempt(rs))
        .list();
  }

  /** The query of {@link #loadForAttempt}, put together once. */
  private static final String LOAD_FOR_ATTEMPT =
      "SELECT " + COLUMNS + ", e.payload, e.attributes::text AS attributes, "
          + BuiltRequestDao.COLUMNS + ", f.backoff_until, "
          + SubscriptionDao.JOINED_COLUMNS + ", a.id AS a_id,"
          + " a.started_at AS a_started_at, a.duration_ms AS a_duration_ms,"
          + " a.status_code AS a_status_code, a.response_body AS a_response_body,"
          + " a.error AS a_error, a.outcome AS a_outcome FROM deliveries d"
          + " JOIN events e ON e.tenant_id = d.tenant_id AND e.id = d.event_id"
          + " LEFT JOIN delivery_requests r ON r.delivery_id = d.id"
          + " LEFT JOIN subscription_flow f ON f.subscription_id = d.subscription_id"
          + " LEFT JOIN subscriptions s ON s.id = d.subscription_id"
          + " AND s.deleted_at IS NULL"
          + " LEFT JOIN attempts a ON a.delivery_id = d.id AND a.number = :n"
          + " WHERE d.id = :id";

  /**
   * Loads what attempt {@code number} of a delivery needs, in one query: the delivery, its event's
   * payload and attributes, its live subscription, the request its first attempt built, the
   * endpoint's {@code Retry-After}, and the attempt itself if it is recorded already. Empty when
   * the delivery does not exist.
   */
  public Optional<AttemptContext> loadForAttempt(String deliveryId, int number) {
    return jdbi.withHandle(
        h ->
            h.createQuery(LOAD_FOR_ATTEMPT)
                .bind("id", deliveryId)
                .bind("n", number)
                .map(
                    (rs, ctx) ->
                        new AttemptContext(
                            map(rs),
                            rs.getString("s_id") == null ? null : subscriptions.map(rs, "s_"),
                            rs.getString("payload"),
                            BuiltRequestDao.stringMap(rs.getString("attributes")),
                            BuiltRequestDao.map(rs, rs.getString("payload")),
                            instant(rs, "backoff_until"),
                            rs.getString("a_id") == null ? null : new Attempt(
                                rs.getString("a_id"),
                                deliveryId,
                                number,
                                instant(rs, "a_started_at"),
                                rs.getLong("a_duration_ms"),
                                (Integer) rs.getObject("a_status_code"),
                                rs.getString("a_response_body"),
                                rs.getString("a_error"),
                                Outcome.fromWireName(rs.getString("a_outcome")))))
                .findOne());
  }

  /**
   * How stale a healthy subscription's {@code last_delivery_at} may be: a success on an endpoint
   * with no failures updates the row at most this often, so that attempts to one busy endpoint do
   * not queue on its row's lock.
   */
  public static final Duration LAST_DELIVERY_PRECISION = Duration.ofSeconds(1);

  /** The statement of {@link #recordAttempt}, put together once. */
  private static final String RECORD_ATTEMPT =
      "WITH a AS (INSERT INTO attempts (id, delivery_id, number, started_at, duration_ms,"
          + " status_code, response_body, error, outcome) VALUES (:id, :d, :n, :startedAt,"
          + " :durationMs, :statusCode, :body, :error, :outcome)"
          + " ON CONFLICT (delivery_id, number) DO NOTHING RETURNING 1),"
          + " d AS (UPDATE deliveries SET status = :status, attempt_count ="
          + " GREATEST(attempt_count, :n), next_attempt_at = :next, updated_at = :now,"
          + " completed_at = :completed, waiting_reason = NULL"
          + " WHERE id = :d AND EXISTS (SELECT 1 FROM a) RETURNING 1),"
          + " r AS (INSERT INTO delivery_requests (delivery_id, method, signature,"
          + " header_names, body_format, body, built_at) SELECT :d, :rMethod,"
          + " CAST(:rSignature AS jsonb), CAST(:rHeaderNames AS jsonb), :rFormat, :rBody,"
          + " :startedAt WHERE :keep AND EXISTS (SELECT 1 FROM a)"
          + " ON CONFLICT (delivery_id) DO NOTHING),"
          + " old AS (SELECT consecutive_failures FROM subscriptions WHERE id = :s),"
          + " s AS (UPDATE subscriptions SET last_delivery_at = :now,"
          + " last_delivery_status = :lastStatus,"
          + " consecutive_failures = CASE WHEN :ok THEN 0 ELSE consecutive_failures + 1 END,"
          + " failing_since = CASE WHEN :ok THEN NULL"
          + " WHEN consecutive_failures = 0 OR failing_since IS NULL THEN :nowMillis"
          + " ELSE failing_since END"
          + " WHERE id = :s AND :reached AND EXISTS (SELECT 1 FROM a)"
          + " AND (NOT :ok OR consecutive_failures <> 0"
          + " OR last_delivery_status IS DISTINCT FROM " + Outcome.SUCCEEDED.sql()
          + " OR last_delivery_at IS NULL OR last_delivery_at < :staleBefore)"
          + " RETURNING consecutive_failures, failing_since),"
          + AttemptStatsDao.RECORD
          + " SELECT EXISTS (SELECT 1 FROM a) AS inserted, (SELECT count(*) FROM d) AS moved,"
          + " (SELECT consecutive_failures FROM old) AS before,"
          + " s.consecutive_failures AS after, s.failing_since AS since"
          + " FROM (SELECT 1) AS one LEFT JOIN s ON true";

  /**
   * Records an attempt, the delivery's new state, the request a first attempt built (kept for
   * every later attempt), the attempt in the subscription's bucketed statistics ({@link
   * AttemptStatsDao}) and the subscription's record in one statement (one round trip,
   * atomic): its last delivery, its consecutive failures (one more on
   * a failure, zero on a success) and when their streak began. A failure updates the row under
   * its lock, so that concurrent failures count exactly; a success on a subscription with no
   * failures touches the row only when its last delivery is older than {@link
   * #LAST_DELIVERY_PRECISION}, so that successes do not queue on the lock. An attempt number
   * already recorded is left as it was (an activity retried by Temporal records once).
   *
   * @return the subscription's streak around this attempt (unchanged when nothing was sent), or
   *     empty when the attempt was already recorded
   */
  public Optional<Streak> recordAttempt(AttemptRecord r) {
    Attempt a = r.attempt();
    Instant now = a.startedAt().plusMillis(a.durationMs());
    boolean succeeded = a.outcome().succeeded();
    return jdbi.withHandle(h -> h.createQuery(RECORD_ATTEMPT)
        .bind("id", a.id())
        .bind("d", a.deliveryId())
        .bind("n", a.number())
        .bind("startedAt", Timestamp.from(a.startedAt()))
        .bind("durationMs", a.durationMs())
        .bind("statusCode", a.statusCode())
        .bind("body", a.responseBody())
        .bind("error", a.error())
        .bind("outcome", a.outcome().wireName())
        .bind("status", r.newStatus().wireName())
        .bind("next", timestamp(r.nextAttemptAt()))
        .bind("now", Timestamp.from(now))
        .bind("completed", r.newStatus().isFinished() ? Timestamp.from(now) : null)
        .bind("s", r.subscriptionId())
        .bind("lastStatus", a.outcome().wireName())
        .bind("ok", succeeded)
        // Milliseconds, as the health workflow carries it.
        .bind("nowMillis", Timestamp.from(now.truncatedTo(ChronoUnit.MILLIS)))
        .bind("reached", r.reachedEndpoint())
        .bind("staleBefore", Timestamp.from(now.minus(LAST_DELIVERY_PRECISION)))
        .bind("keep", r.built() != null)
        .bindMap(BuiltRequestDao.bindings(r.built()))
        .bindMap(AttemptStatsDao.bindings(a.id(), a.startedAt(), a.durationMs(), a.statusCode(),
            a.error(), a.outcome(), r.reachedEndpoint()))
        .map((rs, ctx) -> {
          if (!rs.getBoolean("inserted")) {
            return Optional.<Streak>empty();
          }
          if (!r.reachedEndpoint()) {
            // Nothing was sent: the endpoint's record (last delivery, failures in a row) stays.
            return Optional.of(new Streak(0, 0, null));
          }
          Integer after = (Integer) rs.getObject("after");
          if (after == null) {
            // A success on a healthy endpoint whose row was fresh enough: nothing to count.
            return Optional.of(new Streak(0, 0, null));
          }
          int before = succeeded ? rs.getInt("before") : after - 1;
          return Optional.of(new Streak(before, after, instant(rs, "since")));
        })
        .one());
  }

  /**
   * Marks unfinished deliveries the sweeper looked after (started again, or found running) as of
   * {@code now}, so that they are not overdue again before another grace period.
   */
  public void markSwept(List<String> deliveryIds, Instant now) {
    if (deliveryIds.isEmpty()) {
      return;
    }
    jdbi.useHandle(h -> h.createUpdate(
            "UPDATE deliveries SET updated_at = :now WHERE id = ANY(:ids)"
                + " AND status IN " + MOVING + " AND updated_at < :now")
        .bind("now", Timestamp.from(now))
        .bindArray("ids", String.class, deliveryIds)
        .execute());
  }

  /** The subscription's current streak of failures, as the last attempt left it. */
  public Optional<Streak> streakOf(String subscriptionId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT consecutive_failures, failing_since FROM subscriptions WHERE id = :s")
                .bind("s", subscriptionId)
                .map((rs, ctx) -> new Streak(rs.getInt(1), rs.getInt(1), instant(rs, "failing_since")))
                .findOne());
  }

  /**
   * Sets a status without an attempt (held, cancelled), unless the delivery already finished.
   *
   * @return whether the delivery changed
   */
  public boolean markUnfinished(String deliveryId, DeliveryStatus status, Instant now) {
    return jdbi.withHandle(
            h ->
                h.createUpdate(
                        "UPDATE deliveries SET status = :status, next_attempt_at = NULL,"
                            + " updated_at = :now, completed_at = :completed, waiting_reason = NULL"
                            + " WHERE id = :d AND status IN " + UNFINISHED)
                    .bind("status", status.wireName())
                    .bind("now", Timestamp.from(now))
                    .bind("completed", status.isFinished() ? Timestamp.from(now) : null)
                    .bind("d", deliveryId)
                    .execute())
        > 0;
  }

  /**
   * The delivery waits for its endpoint's limits without an attempt: why, and when it looks
   * again (its {@code next_attempt_at}, so that the sweeper leaves it alone until then). Only a
   * pending or retrying delivery waits.
   */
  public void markWaiting(String deliveryId, String reason, Instant until, Instant now) {
    jdbi.useHandle(h -> h.createUpdate(
            "UPDATE deliveries SET waiting_reason = :reason, next_attempt_at = :until,"
                + " updated_at = :now WHERE id = :d AND status IN " + MOVING)
        .bind("reason", reason)
        .bind("until", Timestamp.from(until))
        .bind("now", Timestamp.from(now))
        .bind("d", deliveryId)
        .execute());
  }

  /**
   * How many deliveries wait, by status: pending, retrying and held, each counted through its
   * partial index (the finished ones, nearly all rows, are never read).
   */
  public Map<DeliveryStatus, Long> countWaiting() {
    return jdbi.withHandle(
        h ->
            h.createQuery(COUNT_WAITING)
                .map((rs, ctx) -> {
                  Map<DeliveryStatus, Long> counts = new EnumMap<>(DeliveryStatus.class);
                  for (DeliveryStatus s : WAITING) {
                    counts.put(s, rs.getLong(s.wireName()));
                  }
                  return counts;
                })
                .one());
  }

  private static final List<DeliveryStatus> WAITING =
      List.of(DeliveryStatus.PENDING, DeliveryStatus.RETRYING, DeliveryStatus.HELD);

  /** {@code SELECT (SELECT count(*) FROM deliveries WHERE status = 'pending') AS pending, …}. */
  private static final String COUNT_WAITING =
      WAITING.stream()
          .map(s -> "(SELECT count(*) FROM deliveries WHERE status = " + s.sql() + ") AS "
              + s.wireName())
          .collect(Collectors.joining(", ", "SELECT ", ""));


  /**
   * Unordered, unfinished deliveries whose workflow should have moved them on by {@code cutoff}:
   * pending ones not touched since, retrying ones whose next attempt was due before it. Oldest
   * first. An ordered delivery may wait its turn for hours; its key is looked after by {@link
   * #findStalledKeys}.
   */
  public List<DeliveryInput> findOverdue(Instant cutoff, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT d.id, d.tenant_id, d.subscription_id, d.event_type, d.attempt_count,"
                        + " d.max_attempts, d.ordering_key, s.url, s.retry_schedule"
                        + " FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id"
                        + " WHERE d.status IN " + MOVING + " AND d.updated_at < :cutoff"
                        + " AND (d.next_attempt_at IS NULL OR d.next_attempt_at < :cutoff)"
                        + " AND d.ordering_key IS NULL"
                        // Batched deliveries have no workflow of their own (StrandedBatches).
                        + " AND NOT d.batched"
                        + " ORDER BY d.updated_at LIMIT :limit")
                .bind("cutoff", Timestamp.from(cutoff))
                .bind("limit", limit)
                .map((rs, ctx) -> mapPending(rs))
                .list());
  }

  /**
   * Moves up to {@code limit} of the subscription's held deliveries to pending, oldest first
   * ({@code created_at}, then id), in one short transaction, provided the subscription is live,
   * active and not paused. The subscription row is share-locked while its deliveries move, so a
   * pause committed meanwhile waits for this batch (whose attempts then see it and hold again).
   * Rows are taken with {@code FOR UPDATE SKIP LOCKED}: two releases running at once never move
   * the same delivery. A delivery whose attempts already reach its last one (the schedule was
   * shortened while it was held) is given exactly one more, as a retry by hand is.
   *
   * @return the moved deliveries, oldest first, or {@link HeldRelease#deliverable()} false when
   *     the subscription is paused, disabled or deleted (nothing moved)
   */
  public HeldRelease releaseHeld(String subscriptionId, int limit, Instant now) {
    return jdbi.inTransaction(h -> {
          Optional<Boolean> batched =
              h.createQuery(
                      "SELECT batch_max_events IS NOT NULL FROM subscriptions WHERE id = :s"
                          + " AND deleted_at IS NULL AND is_active AND NOT is_paused FOR SHARE")
                  .bind("s", subscriptionId)
                  .mapTo(Boolean.class)
                  .findOne();
          if (batched.isEmpty()) {
            return HeldRelease.notDeliverable();
          }
          List<DeliveryInput> released =
              h.createQuery(
                      "WITH picked AS (SELECT id FROM deliveries"
                          + " WHERE subscription_id = :s AND status = " + HELD
                          // A claimed delivery is its batch's: the batch sends it.
                          + " AND batch_id IS NULL"
                          + " ORDER BY created_at, id LIMIT :limit FOR UPDATE SKIP LOCKED),"
                          + " moved AS (UPDATE deliveries d SET status = " + PENDING + ","
                          + " next_attempt_at = NULL, updated_at = :now,"
                          + " max_attempts = CASE WHEN d.attempt_count >= COALESCE(d.max_attempts,"
                          + " cardinality(s.retry_schedule) + 1) THEN d.attempt_count + 1"
                          + " ELSE d.max_attempts END FROM picked, subscriptions s"
                          + " WHERE d.id = picked.id AND s.id = d.subscription_id"
                          + " AND d.status = " + HELD + " RETURNING d.id,"
                          + " d.tenant_id, d.subscription_id, d.event_type, d.attempt_count,"
                          + " d.max_attempts, d.ordering_key, d.created_at, d.batched)"
                          + " SELECT m.*, s.url, s.retry_schedule FROM moved m"
                          + " JOIN subscriptions s ON s.id = m.subscription_id"
                          + " ORDER BY m.created_at, m.id")
                  .bind("s", subscriptionId)
                  .bind("limit", limit)
                  .bind("now", Timestamp.from(now))
                  .map((rs, ctx) -> rs.getBoolean("batched") ? null : mapPending(rs))
                  .list();
          List<DeliveryInput> own = released.stream().filter(java.util.Objects::nonNull).toList();
          return new HeldRelease(true, own, released.size() - own.size(), batched.get());
        });
  }

  /**
   * Deliverable subscriptions that still have deliveries held and untouched since {@code cutoff}:
   * a release should have moved them and was lost or never started. Those whose oldest such
   * delivery is oldest come first.
   */
  public List<String> findStrandedHolds(Instant cutoff, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT s.id FROM subscriptions s CROSS JOIN LATERAL (SELECT d.created_at"
                        + " FROM deliveries d WHERE d.subscription_id = s.id AND d.status = " + HELD
                        + " AND d.batch_id IS NULL"
                        + " AND d.updated_at < :cutoff ORDER BY d.created_at LIMIT 1) oldest"
                        + " WHERE s.deleted_at IS NULL AND s.is_active AND NOT s.is_paused"
                        + " ORDER BY oldest.created_at, s.id LIMIT :limit")
                .bind("cutoff", Timestamp.from(cutoff))
                .bind("limit", limit)
                .mapTo(String.class)
                .list());
  }

  /**
   * The next delivery of an ordered key: its unfinished delivery with the lowest feed position,
   * whatever signal asked. Every delivery before it has ended (succeeded, failed or cancelled),
   * and positions follow commit order without gaps, so no delivery committed earlier can appear
   * before it later. Empty when the key has nothing unfinished.
   */
  public Optional<OrderedHead> nextOrdered(String subscriptionId, String orderingKey) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT d.id, d.tenant_id, d.subscription_id, d.event_type, d.attempt_count,"
                        + " d.max_attempts, d.ordering_key, d.ordering_position, d.status, s.url,"
                        + " s.retry_schedule FROM deliveries d"
                        + " JOIN subscriptions s ON s.id = d.subscription_id"
                        + " WHERE d.subscription_id = :s AND d.ordering_key = :k"
                        + " AND d.status IN " + UNFINISHED
                        + " ORDER BY d.ordering_position LIMIT 1")
                .bind("s", subscriptionId)
                .bind("k", orderingKey)
                .map((rs, ctx) -> new OrderedHead(mapPending(rs),
                    DeliveryStatus.fromWireName(rs.getString("status")),
                    rs.getLong("ordering_position")))
                .findOne());
  }

  /**
   * Ordered keys that stopped moving: keys whose next delivery (the lowest position unfinished)
   * is pending and untouched since {@code cutoff}, or retrying with its next attempt due before
   * it. The sequencer was never started (a crash between the commit and the handoff), or was
   * lost. The deliveries behind a key's next one are not looked at: they wait their turn.
   *
   * @param after the key to continue after, so that one pass after another goes round every key;
   *     null to start from the first
   */
  public List<OrderedKey> findStalledKeys(Instant cutoff, OrderedKey after, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT * FROM (SELECT DISTINCT ON (subscription_id, ordering_key) id,"
                        + " tenant_id, subscription_id, ordering_key, status, updated_at,"
                        + " next_attempt_at FROM deliveries"
                        + " WHERE ordering_key IS NOT NULL AND status IN " + UNFINISHED
                        + (after == null ? ""
                            : " AND (subscription_id, ordering_key) > (:afterS, :afterK)")
                        + " ORDER BY subscription_id, ordering_key, ordering_position) head"
                        + " WHERE status IN " + MOVING + " AND updated_at < :cutoff"
                        + " AND (next_attempt_at IS NULL OR next_attempt_at < :cutoff)"
                        + " ORDER BY subscription_id, ordering_key LIMIT :limit")
                .bind("afterS", after == null ? null : after.subscriptionId())
                .bind("afterK", after == null ? null : after.key())
                .bind("cutoff", Timestamp.from(cutoff))
                .bind("limit", limit)
                .map((rs, ctx) -> new OrderedKey(rs.getString("tenant_id"),
                    rs.getString("subscription_id"), rs.getString("ordering_key"),
                    rs.getString("id")))
                .list());
  }

  static DeliveryInput mapPending(ResultSet rs) throws SQLException {
    return new DeliveryInput(
        rs.getString("id"),
        rs.getString("tenant_id"),
        rs.getString("subscription_id"),
        rs.getString("event_type"),
        rs.getString("url"),
        List.of((Integer[]) rs.getArray("retry_schedule").getArray()),
        rs.getInt("attempt_count") + 1,
        rs.getInt("max_attempts"), // 0 when NULL: the schedule's last
        rs.getString("ordering_key"));
  }

  /** What it takes to (re)start the workflow of an unfinished delivery; empty otherwise. */
  public Optional<DeliveryInput> findPending(String deliveryId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT d.id, d.tenant_id, d.subscription_id, d.event_type, d.attempt_count,"
                        + " d.max_attempts, d.ordering_key, s.url, s.retry_schedule"
                        + " FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id"
                        + " WHERE d.id = :id AND d.status IN " + MOVING + " AND NOT d.batched")
                .bind("id", deliveryId)
                .map((rs, ctx) -> mapPending(rs))
                .findOne());
  }

  /**
   * Reopens a finished delivery ({@code succeeded}, {@code failed} or {@code cancelled}) for
   * exactly one more attempt, numbered after the last one: it is {@code pending} again until its
   * workflow makes that attempt. The subscription must still exist.
   *
   * @return what it takes to start its workflow; empty when it is not finished (or is gone)
   */
  public Optional<DeliveryInput> reopenForOneMoreAttempt(String tenantId, String deliveryId, Instant now) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "WITH reopened AS (UPDATE deliveries d SET status = " + PENDING + ","
                        + " max_attempts = d.attempt_count + 1, next_attempt_at = NULL, batched = false,"
                        + " completed_at = NULL, updated_at = :now FROM subscriptions s"
                        + " WHERE d.id = :id AND d.tenant_id = :t AND s.id = d.subscription_id"
                        + " AND s.deleted_at IS NULL"
                        + " AND d.status IN " + FINISHED
                        + " RETURNING d.id, d.tenant_id, d.subscription_id, d.event_type,"
                        + " d.attempt_count, d.max_attempts, d.ordering_key, s.url,"
                        + " s.retry_schedule)"
                        + " SELECT * FROM reopened")
                .bind("now", Timestamp.from(now))
                .bind("id", deliveryId)
                .bind("t", tenantId)
                .map((rs, ctx) -> mapPending(rs))
                .findOne());
  }

  /**
   * Within the caller's transaction, reopens those of {@code deliveryIds} that are still {@code
   * failed} and whose subscription still exists, each for exactly one more attempt (as {@link
   * #reopenForOneMoreAttempt} does for one).
   *
   * @return the reopened deliveries, oldest first ({@code created_at}, then id)
   */
  public List<DeliveryInput> reopenFailed(Handle h, List<String> deliveryIds, Instant now) {
    if (deliveryIds.isEmpty()) {
      return List.of();
    }
    return h.createQuery(
            "WITH reopened AS (UPDATE deliveries d SET status = " + PENDING + ","
                + " max_attempts = d.attempt_count + 1, next_attempt_at = NULL, batched = false,"
                + " completed_at = NULL, updated_at = :now FROM subscriptions s"
                + " WHERE d.id = ANY(:ids) AND s.id = d.subscription_id"
                + " AND s.deleted_at IS NULL AND d.status = " + FAILED
                + " RETURNING d.id, d.tenant_id, d.subscription_id, d.event_type,"
                + " d.attempt_count, d.max_attempts, d.ordering_key, d.created_at, s.url,"
                + " s.retry_schedule)"
                + " SELECT * FROM reopened ORDER BY created_at, id")
        .bind("now", Timestamp.from(now))
        .bindArray("ids", String.class, deliveryIds)
        .map((rs, ctx) -> mapPending(rs))
        .list();
  }

  static Delivery map(ResultSet rs) throws SQLException {
    return new Delivery(
        rs.getString("id"),
        rs.getString("tenant_id"),
        rs.getString("event_id"),
        rs.getString("subscription_id"),
        rs.getString("event_type"),
        DeliveryStatus.fromWireName(rs.getString("status")),
        rs.getInt("attempt_count"),
        instant(rs, "next_attempt_at"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"),
        instant(rs, "completed_at"),
        Subscription.Kind.of(rs.getString("kind")),
        rs.getString("target_url"),
        rs.getString("waiting_reason"));
  }

  private static Attempt mapAttempt(ResultSet rs) throws SQLException {
    return new Attempt(
        rs.getString("id"),
        rs.getString("delivery_id"),
        rs.getInt("number"),
        instant(rs, "started_at"),
        rs.getLong("duration_ms"),
        (Integer) rs.getObject("status_code"),
        rs.getString("response_body"),
        rs.getString("error"),
        Outcome.fromWireName(rs.getString("outcome")));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  private static Timestamp timestamp(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }
}
