package dev.herald.core.subscription;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Subscriptions in PostgreSQL. Deleted subscriptions are kept, marked, and never returned. */
public final class SubscriptionDao {

  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

  static final String COLUMNS =
      "id, tenant_id, name, url, event_types, filter::text AS filter, headers::text AS headers,"
          + " retry_schedule, timeout_seconds, disable_after_failures, disable_after_seconds,"
          + " secret, previous_secret, previous_secret_expires_at, is_active, is_paused,"
          + " disable_reason, disabled_at, consecutive_failures, last_delivery_at,"
          + " last_delivery_status, created_at, updated_at";

  private final Jdbi jdbi;
  private final ObjectMapper json;

  public SubscriptionDao(Jdbi jdbi, ObjectMapper json) {
    this.jdbi = jdbi;
    this.json = json;
  }

  public void insert(Subscription s) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO subscriptions (id, tenant_id, name, url, event_types, filter,"
                        + " headers, retry_schedule, timeout_seconds, disable_after_failures,"
                        + " disable_after_seconds, secret, is_active, is_paused, created_at,"
                        + " updated_at) VALUES (:id, :tenantId, :name, :url, :eventTypes,"
                        + " CAST(:filter AS jsonb), CAST(:headers AS jsonb), :schedule, :timeout,"
                        + " :failures, :seconds, :secret, :isActive, :isPaused, :createdAt,"
                        + " :updatedAt)")
                .bind("id", s.id())
                .bind("tenantId", s.tenantId())
                .bind("name", s.name())
                .bind("url", s.url())
                .bindArray("eventTypes", String.class, s.eventTypes())
                .bind("filter", toJson(s.filter()))
                .bind("headers", toJson(s.headers()))
                .bindArray("schedule", Integer.class, s.retrySchedule())
                .bind("timeout", s.timeoutSeconds())
                .bind("failures", s.disableAfterFailures())
                .bind("seconds", s.disableAfterSeconds())
                .bind("secret", s.secret())
                .bind("isActive", s.isActive())
                .bind("isPaused", s.isPaused())
                .bind("createdAt", Timestamp.from(s.createdAt()))
                .bind("updatedAt", Timestamp.from(s.updatedAt()))
                .execute());
  }

  /** The tenant's subscription, unless deleted. */
  public Optional<Subscription> find(String tenantId, String id) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT " + COLUMNS + " FROM subscriptions"
                        + " WHERE tenant_id = :tenantId AND id = :id AND deleted_at IS NULL")
                .bind("tenantId", tenantId)
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne());
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

  /** Every live subscription of the tenant, within a publishing transaction. */
  public List<Subscription> listForTenant(Handle h, String tenantId) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM subscriptions"
                + " WHERE tenant_id = :tenantId AND deleted_at IS NULL")
        .bind("tenantId", tenantId)
        .map((rs, ctx) -> map(rs))
        .list();
  }

  /** Maps a row selected with {@link #COLUMNS}. */
  Subscription map(ResultSet rs) throws SQLException {
    return new Subscription(
        rs.getString("id"),
        rs.getString("tenant_id"),
        rs.getString("name"),
        rs.getString("url"),
        List.of((String[]) rs.getArray("event_types").getArray()),
        fromJson(rs.getString("filter")),
        fromJson(rs.getString("headers")),
        List.of((Integer[]) rs.getArray("retry_schedule").getArray()),
        rs.getInt("timeout_seconds"),
        rs.getInt("disable_after_failures"),
        rs.getInt("disable_after_seconds"),
        rs.getString("secret"),
        rs.getString("previous_secret"),
        instant(rs, "previous_secret_expires_at"),
        rs.getBoolean("is_active"),
        rs.getBoolean("is_paused"),
        rs.getString("disable_reason"),
        instant(rs, "disabled_at"),
        rs.getInt("consecutive_failures"),
        instant(rs, "last_delivery_at"),
        rs.getString("last_delivery_status"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"));
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
    if (text == null) {
      return Map.of();
    }
    try {
      return Map.copyOf(json.readValue(text, STRING_MAP));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable json column", e);
    }
  }
}
