package dev.herald.core.subscription;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.crypto.SecretCipher;
import dev.herald.core.memo.Memo;
import dev.herald.core.db.Position;
import dev.herald.core.flow.FlowLimits;
import dev.herald.core.tls.ClientCertificate;
import dev.herald.model.DeliveryStatus;
import dev.herald.model.Outcome;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Subscriptions in PostgreSQL. Deleted subscriptions are kept, marked, and never returned. */
public final class SubscriptionDao {

  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

  static final String COLUMNS =
      "id, tenant_id, name, url, event_types, filter::text AS filter, headers::text AS headers,"
          + " retry_schedule, timeout_seconds, disable_after_failures, disable_after_seconds,"
          + " method, signature::text AS signature, header_names::text AS header_names, body_format,"
          + " body_template, auth::text AS auth,"
          + " secret, previous_secret, previous_secret_expires_at, is_active, is_paused,"
          + " disable_reason, disabled_at, consecutive_failures, last_delivery_at,"
          + " last_delivery_status, created_at, updated_at, kind, max_concurrency, rate_limit,"
          + " rate_period_seconds, ordering_key, batch_max_events, batch_max_wait_seconds,"
          + " batch_max_bytes";

  /**
   * {@link #COLUMNS} of the subscriptions row aliased {@code s}, labelled {@code s_…}: for queries
   * that join a subscription to other rows (the attempt's, a batch's), read with {@code map(rs,
   * "s_")}. Put together once: the attempt's query is on every delivery's path.
   */
  public static final String JOINED_COLUMNS = columns("s", "s_");

  /** {@link #COLUMNS} of the subscriptions row {@code alias}, labelled with {@code prefix}. */
  private static String columns(String alias, String prefix) {
    StringBuilder out = new StringBuilder();
    for (String column : COLUMNS.split(",")) {
      String c = column.trim();
      int as = c.indexOf(" AS ");
      String expression = as < 0 ? c : c.substring(0, as);
      String label = as < 0 ? c : c.substring(as + 4);
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append(alias).append('.').append(expression).append(" AS ").append(prefix).append(label);
    }
    return out.toString();
  }

  /** The rows of subscriptions a client made, not the hidden targets of one-off deliveries. */
  private static final String CLIENTS = " AND kind = 'subscription'";

  /**
   * JSON columns read lately ({@code filter}, {@code signature}, {@code header_names}), by their
   * text: every attempt reads its subscription's, and parsing them again was about 5 % of an
   * attempt's CPU. The maps are immutable, so one serves every reader.
   */
  private final Memo<String, Map<String, String>> jsonMaps = new Memo<>(10_000, this::parseJson);

  private final Jdbi jdbi;
  private final ObjectMapper json;
  private final SecretCipher secrets;
  private final AuthColumn auth;
  private final HeadersColumn headers;

  /**
   * @param secrets seals signing secrets on the way in and opens them on the way out: the
   *     database never holds one in clear
   */
  public SubscriptionDao(Jdbi jdbi, ObjectMapper json, SecretCipher secrets) {
    this.jdbi = jdbi;
    this.json = json;
    this.secrets = secrets;
    this.auth = new AuthColumn(json, secrets);
    this.headers = new HeadersColumn(json, secrets);
  }

  public void insert(Subscription s) {
    jdbi.useHandle(h -> insert(h, s));
  }

  /**
   * Inserts unless the tenant already has its {@code max_subscriptions} live subscriptions. The
   * tenant's row is locked for the count, so concurrent creates cannot overshoot the limit.
   *
   * @return false when the limit is reached (nothing was written)
   */
  public boolean insertWithinLimit(Subscription s) {
    return jdbi.inTransaction(
        h -> {
          Integer max =
              h.createQuery("SELECT max_subscriptions FROM tenants WHERE id = :t FOR UPDATE")
                  .bind("t", s.tenantId())
                  .map((rs, ctx) -> (Integer) rs.getObject(1))
                  .one();
          if (max != null && countLive(h, s.tenantId()) >= max) {
            return false;
          }
          insert(h, s);
          return true;
        });
  }

  private static int countLive(Handle h, String tenantId) {
    return h.createQuery(
            "SELECT count(*) FROM subscriptions WHERE tenant_id = :t AND deleted_at IS NULL"
                + CLIENTS)
        .bind("t", tenantId)
        .mapTo(Integer.class)
        .one();
  }

  /** Inserts within the caller's transaction: a one-off delivery's target, with its delivery. */
  public void insert(Handle h, Subscription s) {
    CertificateColumns certificate = CertificateColumns.of(s.auth());
    h.createUpdate(
            "INSERT INTO subscriptions (id, tenant_id, name, url, event_types, filter,"
                + " headers, retry_schedule, timeout_seconds, disable_after_failures,"
                + " disable_after_seconds, method, signature, header_names, body_format,"
                + " body_template, auth, certificate_expires_at, certificate_fingerprint,"
                + " secret, previous_secret, previous_secret_expires_at,"
                + " is_active, is_paused, created_at, updated_at, kind, max_concurrency,"
                + " rate_limit, rate_period_seconds, ordering_key, batch_max_events,"
                + " batch_max_wait_seconds, batch_max_bytes) VALUES (:id, :tenantId, :name, :url,"
                + " :eventTypes,"
                + " CAST(:filter AS jsonb), CAST(:headers AS jsonb), :schedule, :timeout,"
                + " :failures, :seconds, :method, CAST(:signature AS jsonb),"
                + " CAST(:headerNames AS jsonb), :bodyFormat, :bodyTemplate, CAST(:auth AS jsonb),"
                + " :certificateExpiresAt, :certificateFingerprint, :secret,"
                + " :previousSecret, :previousExpires, :isActive,"
                + " :isPaused, :createdAt, :updatedAt, :kind, :maxConcurrency, :rateLimit,"
                + " :ratePeriod, :orderingKey, :batchEvents, :batchWait, :batchBytes)")
        .bind("id", s.id())
        .bind("tenantId", s.tenantId())
        .bind("name", s.name())
        .bind("url", s.url())
        .bindArray("eventTypes", String.class, s.eventTypes())
        .bind("filter", toJson(s.filter()))
        .bind("headers", headers.store(s.id(), s.headers()))
        .bindArray("schedule", Integer.class, s.retrySchedule())
        .bind("timeout", s.timeoutSeconds())
        .bind("failures", s.disableAfterFailures())
        .bind("seconds", s.disableAfterSeconds())
        .bind("method", s.wire().method())
        .bind("signature", toJson(s.wire().signatureFields()))
        .bind("headerNames", toJson(s.wire().storedHeaderNames()))
        .bind("bodyFormat", s.wire().body().apiName())
        .bind("bodyTemplate", s.wire().body().template())
        .bind("auth", auth.store(s.id(), s.auth()))
        .bind("certificateExpiresAt", certificate.expiresAt())
        .bind("certificateFingerprint", certificate.fingerprint())
        .bind("secret", secrets.seal(s.secret(), context(s.id(), "secret")))
        .bind("previousSecret",
            secrets.seal(s.previousSecret(), context(s.id(), "previous_secret")))
        .bind("previousExpires", timestamp(s.previousSecretExpiresAt()))
        .bind("isActive", s.isActive())
        .bind("isPaused", s.isPaused())
        .bind("createdAt", Timestamp.from(s.createdAt()))
        .bind("updatedAt", Timestamp.from(s.updatedAt()))
        .bind("kind", s.kind().apiName())
        .bindMap(flowColumns(s.flow()))
        .bind("orderingKey", s.orderingKey())
        .bindMap(batchColumns(s.batch()))
        .execute();
  }

  /** The tenant's subscription, unless deleted. */
  public Optional<Subscription> find(String tenantId, String id) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT " + COLUMNS + " FROM subscriptions"
                        + " WHERE tenant_id = :tenantId AND id = :id AND deleted_at IS NULL" + CLIENTS)
                .bind("tenantId", tenantId)
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne());
  }

  /**
   * A page of the tenant's live subscriptions, newest first: those created before the position
   * {@code after} (exclusive), or from the newest when it is null.
   */
  public List<Subscription> list(String tenantId, Position after, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT " + COLUMNS + " FROM subscriptions"
                        + " WHERE tenant_id = :t AND deleted_at IS NULL" + CLIENTS
                        + (after == null ? "" : " AND (created_at, id) < (:createdAt, :id)")
                        + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                .bind("t", tenantId)
                .bind("createdAt", after == null ? null : Timestamp.from(after.createdAt()))
                .bind("id", after == null ? null : after.id())
                .bind("limit", limit)
                .map((rs, ctx) -> map(rs))
                .list());
  }

  /**
   * Changes a live subscription in one transaction: the row is locked, {@code change} computes
   * the new state from the current one (it may throw to refuse, and nothing is written), and the
   * settable columns are written back. Delivery statistics are left to the worker.
   *
   * @return the state before and after, or empty when there is no such live subscription
   */
  public Optional<Change> modify(String tenantId, String id, UnaryOperator<Subscription> change) {
    return jdbi.inTransaction(
        h -> {
          Optional<Subscription> current =
              h.createQuery(
                      "SELECT " + COLUMNS + " FROM subscriptions WHERE tenant_id = :t AND id = :id"
                          + " AND deleted_at IS NULL" + CLIENTS + " FOR UPDATE")
                  .bind("t", tenantId)
                  .bind("id", id)
                  .map((rs, ctx) -> map(rs))
                  .findOne();
          if (current.isEmpty()) {
            return Optional.empty();
          }
          Subscription after = change.apply(current.get());
          CertificateColumns certificate = CertificateColumns.of(after.auth());
          h.createUpdate(
                  "UPDATE subscriptions SET name = :name, url = :url, event_types = :eventTypes,"
                      + " filter = CAST(:filter AS jsonb), headers = CAST(:headers AS jsonb),"
                      + " retry_schedule = :schedule, timeout_seconds = :timeout,"
                      + " disable_after_failures = :failures, disable_after_seconds = :seconds,"
                      + " method = :method, signature = CAST(:signature AS jsonb),"
                      + " header_names = CAST(:headerNames AS jsonb), body_format = :bodyFormat,"
                      + " body_template = :bodyTemplate, auth = CAST(:auth AS jsonb),"
                      + " certificate_expires_at = :certificateExpiresAt,"
                      + " certificate_fingerprint = :certificateFingerprint, secret = :secret,"
                      + " previous_secret = :previousSecret,"
                      + " previous_secret_expires_at = :previousExpires, is_active = :isActive,"
                      + " is_paused = :isPaused, disable_reason = :disableReason,"
                      + " disabled_at = :disabledAt, consecutive_failures = :failuresNow,"
                      + " failing_since = CASE WHEN :failuresNow = 0 THEN NULL ELSE failing_since END,"
                      + " max_concurrency = :maxConcurrency, rate_limit = :rateLimit,"
                      + " rate_period_seconds = :ratePeriod, ordering_key = :orderingKey,"
                      + " batch_max_events = :batchEvents,"
                      + " batch_max_wait_seconds = :batchWait, batch_max_bytes = :batchBytes,"
                      + " updated_at = :updatedAt WHERE id = :id")
              .bind("name", after.name())
              .bind("url", after.url())
              .bindArray("eventTypes", String.class, after.eventTypes())
              .bind("filter", toJson(after.filter()))
              .bind("headers", headers.store(id, after.headers()))
              .bindArray("schedule", Integer.class, after.retrySchedule())
              .bind("timeout", after.timeoutSeconds())
              .bind("failures", after.disableAfterFailures())
              .bind("seconds", after.disableAfterSeconds())
              .bind("method", after.wire().method())
              .bind("signature", toJson(after.wire().signatureFields()))
              .bind("headerNames", toJson(after.wire().storedHeaderNames()))
              .bind("bodyFormat", after.wire().body().apiName())
              .bind("bodyTemplate", after.wire().body().template())
              .bind("auth", auth.store(id, after.auth()))
              .bind("certificateExpiresAt", certificate.expiresAt())
              .bind("certificateFingerprint", certificate.fingerprint())
              .bind("secret", secrets.seal(after.secret(), context(id, "secret")))
              .bind("previousSecret", secrets.seal(after.previousSecret(), context(id, "previous_secret")))
              .bind("previousExpires", timestamp(after.previousSecretExpiresAt()))
              .bind("isActive", after.isActive())
              .bind("isPaused", after.isPaused())
              .bind("disableReason", after.disableReason())
              .bind("disabledAt", timestamp(after.disabledAt()))
              .bind("failuresNow", after.consecutiveFailures())
              .bind("updatedAt", Timestamp.from(after.updatedAt()))
              .bindMap(flowColumns(after.flow()))
              .bind("orderingKey", after.orderingKey())
              .bindMap(batchColumns(after.batch()))
              .bind("id", id)
              .execute();
          return Optional.of(new Change(current.get(), after));
        });
  }

  /**
   * Disables a live, active subscription in one statement: {@code is_active} false, with the
   * reason and time. Its deliveries are left as they are; each is held at its next attempt, and
   * new events for it are created held.
   *
   * @return whether this call disabled it (false when already inactive, deleted or unknown)
   */
  public boolean disable(String tenantId, String id, String reason, Instant disabledAt, Instant now) {
    return disable(tenantId, id, reason, disabledAt, now, null);
  }

  /**
   * Disables like {@link #disable(String, String, String, Instant, Instant)}, but only while the
   * streak of failures that began by {@code failingBy} still runs: not after a success ended it,
   * nor during a newer streak. The health workflow hears of a streak only at thresholds, so this
   * is where its view is checked against the exact count.
   *
   * @param failingBy the latest start of the streak that may disable; null disables whatever
   */
  public boolean disable(
      String tenantId, String id, String reason, Instant disabledAt, Instant now, Instant failingBy) {
    return jdbi.withHandle(
        h ->
            h.createUpdate(
                        "UPDATE subscriptions SET is_active = false, disable_reason = :reason,"
                            + " disabled_at = :disabledAt, updated_at = :now"
                            + " WHERE tenant_id = :t AND id = :id AND deleted_at IS NULL"
                            + " AND is_active"
                            + (failingBy == null ? ""
                                : " AND consecutive_failures > 0"
                                    + " AND date_trunc('milliseconds', failing_since) <= :failingBy"))
                    .bind("failingBy", failingBy == null ? null : Timestamp.from(failingBy))
                    .bind("reason", reason)
                    .bind("disabledAt", Timestamp.from(disabledAt))
                    .bind("now", Timestamp.from(now))
                    .bind("t", tenantId)
                    .bind("id", id)
                    .execute()
                > 0);
  }

  /** A subscription before and after a {@link #modify}. */
  public record Change(Subscription before, Subscription after) {}

  /**
   * Deletes a live subscription and, in the same transaction, ends its unfinished deliveries as
   * {@code cancelled}. The row is kept, marked, so that its deliveries keep their reference.
   *
   * @return the cancelled deliveries that were pending or retrying, whose workflows may still be
   *     waiting; empty when there is no such live subscription
   */
  public Optional<List<String>> delete(String tenantId, String id, Instant now) {
    return jdbi.inTransaction(
        h -> {
          int deleted =
              h.createUpdate(
                      "UPDATE subscriptions SET deleted_at = :now, updated_at = :now"
                          + " WHERE tenant_id = :t AND id = :id AND deleted_at IS NULL" + CLIENTS)
                  .bind("now", Timestamp.from(now))
                  .bind("t", tenantId)
                  .bind("id", id)
                  .execute();
          if (deleted == 0) {
            return Optional.empty();
          }
          return Optional.of(
              h.createQuery(
                      "UPDATE deliveries d SET status = " + DeliveryStatus.CANCELLED.sql() + ", next_attempt_at = NULL,"
                          + " updated_at = :now, completed_at = :now"
                          + " FROM (SELECT id, status FROM deliveries WHERE subscription_id = :id"
                          + " AND status IN " + DeliveryStatus.sqlList(DeliveryStatus.PENDING,
                          DeliveryStatus.RETRYING, DeliveryStatus.HELD) + " FOR UPDATE) before"
                          + " WHERE d.id = before.id RETURNING d.id, before.status AS was")
                  .bind("now", Timestamp.from(now))
                  .bind("id", id)
                  .map((rs, ctx) -> "held".equals(rs.getString("was")) ? null : rs.getString("id"))
                  .list()
                  .stream()
                  .filter(Objects::nonNull)
                  .toList());
        });
  }

  /** A subscription by id alone, unless deleted: for the worker, which acts for every tenant. */
  public Optional<Subscription> findLive(String id) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT " + COLUMNS + " FROM subscriptions WHERE id = :id AND deleted_at IS NULL")
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne());
  }

  /**
   * The routes of every live subscription of the tenant a client made: what publishing matches an
   * event against, with no secret opened.
   */
  public List<Route> routesForTenant(Handle h, String tenantId) {
    return h.createQuery(
            "SELECT id, event_types, filter::text AS filter, url, retry_schedule,"
                + " is_active AND NOT is_paused AS deliverable, kind, ordering_key,"
                + " batch_max_events IS NOT NULL AS batched FROM subscriptions"
                + " WHERE tenant_id = :tenantId AND deleted_at IS NULL" + CLIENTS)
        .bind("tenantId", tenantId)
        .map((rs, ctx) -> new Route(
            rs.getString("id"),
            List.of((String[]) rs.getArray("event_types").getArray()),
            fromJson(rs.getString("filter")),
            rs.getString("url"),
            List.of((Integer[]) rs.getArray("retry_schedule").getArray()),
            rs.getBoolean("deliverable"),
            Subscription.Kind.of(rs.getString("kind")),
            rs.getString("ordering_key"), rs.getBoolean("batched")))
        .list();
  }

  /** Maps a row selected with {@link #COLUMNS}. */
  Subscription map(ResultSet rs) throws SQLException {
    return map(rs, "");
  }

  /**
   * Maps a subscription selected with {@link #columns(String, String)}, its labels starting with
   * {@code p}.
   */
  public Subscription map(ResultSet rs, String p) throws SQLException {
    return new Subscription(
        rs.getString(p + "id"),
        rs.getString(p + "tenant_id"),
        rs.getString(p + "name"),
        rs.getString(p + "url"),
        List.of((String[]) rs.getArray(p + "event_types").getArray()),
        fromJson(rs.getString(p + "filter")),
        headers.read(rs.getString(p + "id"), rs.getString(p + "headers")),
        List.of((Integer[]) rs.getArray(p + "retry_schedule").getArray()),
        rs.getInt(p + "timeout_seconds"),
        rs.getInt(p + "disable_after_failures"),
        rs.getInt(p + "disable_after_seconds"),
        new WireFormat(
            rs.getString(p + "method"),
            WireFormat.signatureOf(fromJson(rs.getString(p + "signature"))),
            WireFormat.headerNamesOf(fromJson(rs.getString(p + "header_names"))),
            BodyFormat.stored(rs.getString(p + "body_format"), rs.getString(p + "body_template"))),
        auth.read(rs.getString(p + "id"), rs.getString(p + "auth")),
        secrets.open(rs.getString(p + "secret"), context(rs.getString(p + "id"), "secret")),
        secrets.open(rs.getString(p + "previous_secret"), context(rs.getString(p + "id"), "previous_secret")),
        instant(rs, p + "previous_secret_expires_at"),
        rs.getBoolean(p + "is_active"),
        rs.getBoolean(p + "is_paused"),
        rs.getString(p + "disable_reason"),
        instant(rs, p + "disabled_at"),
        rs.getInt(p + "consecutive_failures"),
        instant(rs, p + "last_delivery_at"),
        Outcome.fromWireName(rs.getString(p + "last_delivery_status")),
        instant(rs, p + "created_at"),
        instant(rs, p + "updated_at"),
        Subscription.Kind.of(rs.getString(p + "kind")),
        flow(rs, p),
        rs.getString(p + "ordering_key"),
        batch(rs, p));
  }

  private static Batching batch(ResultSet rs, String p) throws SQLException {
    Integer events = (Integer) rs.getObject(p + "batch_max_events");
    return events == null
        ? null
        : new Batching(events, rs.getInt(p + "batch_max_wait_seconds"), rs.getInt(p + "batch_max_bytes"));
  }

  private static Map<String, Object> batchColumns(Batching batch) {
    Map<String, Object> columns = new java.util.HashMap<>();
    columns.put("batchEvents", batch == null ? null : batch.maxEvents());
    columns.put("batchWait", batch == null ? null : batch.maxWaitSeconds());
    columns.put("batchBytes", batch == null ? null : batch.maxBytes());
    return columns;
  }

  private static FlowLimits flow(ResultSet rs, String p) throws SQLException {
    Integer max = (Integer) rs.getObject(p + "max_concurrency");
    Integer rate = (Integer) rs.getObject(p + "rate_limit");
    return new FlowLimits(
        max, rate == null ? null : new FlowLimits.RateLimit(rate, rs.getInt(p + "rate_period_seconds")));
  }

  private static Map<String, Object> flowColumns(FlowLimits flow) {
    Map<String, Object> columns = new java.util.HashMap<>();
    columns.put("maxConcurrency", flow.maxConcurrency());
    columns.put("rateLimit", flow.rateLimit() == null ? null : flow.rateLimit().count());
    columns.put("ratePeriod", flow.rateLimit() == null ? null : flow.rateLimit().periodSeconds());
    return columns;
  }

  /**
   * Seals again, with the current key, every secret not yet sealed with it (in clear from before
   * encryption, or under a previous key), deleted subscriptions included; in batches, each its
   * own transaction, so it can run while Herald serves.
   *
   * @return how many subscriptions were re-sealed
   */
  public int resealSecrets(int batchSize) {
    int resealed = 0;
    String after = "";
    while (true) {
      String from = after;
      List<String[]> rows =
          jdbi.withHandle(
              h ->
                  h.createQuery(
                          "SELECT id, secret, previous_secret, auth::text, headers::text FROM subscriptions"
                              + " WHERE id > :after ORDER BY id LIMIT :n")
                      .bind("after", from)
                      .bind("n", batchSize)
                      .map((rs, ctx) -> new String[] {
                          rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                          rs.getString(5)})
                      .list());
      if (rows.isEmpty()) {
        return resealed;
      }
      for (String[] row : rows) {
        if (secrets.needsResealing(row[1]) || secrets.needsResealing(row[2])
            || auth.needsResealing(row[3]) || headers.needsResealing(row[4])) {
          String id = row[0];
          // Only if unchanged meanwhile: a concurrent rotation or PATCH wins.
          resealed +=
              jdbi.withHandle(
                  h ->
                      h.createUpdate(
                              "UPDATE subscriptions SET secret = :secret,"
                                  + " previous_secret = :previous, auth = CAST(:auth AS jsonb),"
                                  + " headers = CAST(:headers AS jsonb)"
                                  + " WHERE id = :id AND secret = :oldSecret"
                                  + " AND previous_secret IS NOT DISTINCT FROM :oldPrevious"
                                  + " AND auth = CAST(:oldAuth AS jsonb)"
                                  + " AND headers = CAST(:oldHeaders AS jsonb)")
                          .bind("secret", secrets.seal(secrets.open(row[1], context(id, "secret")), context(id, "secret")))
                          .bind("previous", secrets.seal(secrets.open(row[2], context(id, "previous_secret")), context(id, "previous_secret")))
                          .bind("auth", auth.store(id, auth.read(id, row[3])))
                          .bind("id", id)
                          .bind("oldSecret", row[1])
                          .bind("oldPrevious", row[2])
                          .bind("oldAuth", row[3])
                          .bind("headers", headers.store(id, headers.read(id, row[4])))
                          .bind("oldHeaders", row[4])
                          .execute());
        }
      }
      after = rows.get(rows.size() - 1)[0];
    }
  }

  /**
   * The columns that let the sweeper find a mutual-TLS certificate about to expire: its notAfter
   * and fingerprint, or nulls for other credentials.
   */
  private record CertificateColumns(Timestamp expiresAt, String fingerprint) {
    static CertificateColumns of(EndpointAuth auth) {
      if (auth instanceof EndpointAuth.MutualTls mtls) {
        ClientCertificate read = mtls.read();
        return new CertificateColumns(Timestamp.from(read.expiresAt()), read.fingerprint());
      }
      return new CertificateColumns(null, null);
    }
  }

  /** What a sealed secret is bound to: its row and column. */
  /** What a subscription's sealed value is bound to: {@code subscriptions/<id>/<column>}. */
  static String context(String subscriptionId, String column) {
    return "subscriptions/" + subscriptionId + "/" + column;
  }

  private static Timestamp timestamp(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  private String toJson(Map<String, String> map) {
    try {
      return json.writeValueAsString(map == null ? Map.of() : map);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private Map<String, String> fromJson(String text) {
    return text == null ? Map.of() : jsonMaps.get(text);
  }

  private Map<String, String> parseJson(String text) {
    try {
      return Map.copyOf(json.readValue(text, STRING_MAP));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable json column", e);
    }
  }
}
