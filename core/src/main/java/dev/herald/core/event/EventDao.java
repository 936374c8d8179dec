package dev.herald.core.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.delivery.Delivery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Events in PostgreSQL. */
public final class EventDao {

  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

  private final Jdbi jdbi;
  private final ObjectMapper json;

  public EventDao(Jdbi jdbi, ObjectMapper json) {
    this.jdbi = jdbi;
    this.json = json;
  }

  /**
   * Inserts the event and its deliveries in one statement (one round trip), unless an event with
   * this id exists already.
   *
   * @param orderingKeys each delivery's ordering key, or null where it is unordered
   * @param batched the ids of those of {@code deliveries} that are gathered into batches
   * @return false when the id exists already: nothing was inserted
   */
  boolean insertWithDeliveries(
      Handle h, Event e, String requestHash, List<Delivery> deliveries, List<String> orderingKeys,
      java.util.Set<String> batched) {
    String attributes;
    try {
      attributes = json.writeValueAsString(e.attributes());
    } catch (JsonProcessingException ex) {
      throw new IllegalArgumentException(ex);
    }
    return h.createQuery(
            "WITH e AS (INSERT INTO events (tenant_id, id, type, request_hash, payload, attributes,"
                + " delivery_count, created_at) VALUES (:t, :id, :type, :hash, :payload,"
                + " CAST(:attributes AS jsonb), :count, :createdAt)"
                + " ON CONFLICT (tenant_id, id) DO NOTHING RETURNING id),"
                + " d AS (INSERT INTO deliveries (id, tenant_id, event_id, subscription_id,"
                + " event_type, status, attempt_count, created_at, updated_at, kind, ordering_key,"
                + " batched)"
                + " SELECT u.id, :t, :id, u.subscription_id, :type, u.status, 0, :createdAt,"
                + " :createdAt, u.kind, u.ordering_key, CAST(u.batched AS boolean)"
                + " FROM unnest(:ids, :subscriptions, :statuses, :kinds, :orderingKeys, :batched)"
                + " AS u(id, subscription_id, status, kind, ordering_key, batched)"
                + " WHERE EXISTS (SELECT 1 FROM e))"
                + " SELECT EXISTS (SELECT 1 FROM e)")
        .bind("t", e.tenantId())
        .bind("id", e.id())
        .bind("type", e.type())
        .bind("hash", requestHash)
        .bind("payload", e.payload())
        .bind("attributes", attributes)
        .bind("count", e.deliveryCount())
        .bind("createdAt", Timestamp.from(e.createdAt()))
        // Java arrays, not bindArray's Iterable form: that one builds a parameterized type
        // through reflection on every call (a quarter of a publish's allocation in the delivery
        // benchmark's flight recording).
        .bind("ids", deliveries.stream().map(Delivery::id).toArray(String[]::new))
        .bind("subscriptions", deliveries.stream().map(Delivery::subscriptionId).toArray(String[]::new))
        .bind("statuses", deliveries.stream().map(d -> d.status().wireName()).toArray(String[]::new))
        .bind("kinds", deliveries.stream().map(d -> d.kind().apiName()).toArray(String[]::new))
        .bind("orderingKeys", orderingKeys.toArray(String[]::new))
        .bind("batched",
            deliveries.stream().map(d -> batched.contains(d.id()) ? "true" : "false").toArray(String[]::new))
        // Read directly: mapTo(Boolean.class) looks the column mapper up on every call, about a
        // seventh of this statement's CPU in the API's threads on the publish path.
        .map((rs, ctx) -> rs.getBoolean(1))
        .one();
  }

  /** {@link #assignPositionAndCommit}'s statement, put together once (no ordered deliveries). */
  private static final String POSITION_AND_COMMIT = positionAndCommit("");

  /** {@link #assignPositionAndCommit}'s statement for an event with ordered deliveries. */
  private static final String POSITION_ORDERED_AND_COMMIT = positionAndCommit(
      ", ordered AS (UPDATE deliveries SET ordering_position = next.event_seq"
          + " FROM next WHERE deliveries.tenant_id = :t"
          + " AND deliveries.event_id = :id AND deliveries.ordering_key IS NOT NULL)");

  private static String positionAndCommit(String orderedPart) {
    return "WITH next AS (UPDATE tenants SET event_seq = event_seq + 1 WHERE id = :t"
        + " RETURNING event_seq)"
        + orderedPart
        + " UPDATE events SET seq = next.event_seq FROM next"
        + " WHERE events.tenant_id = :t AND events.id = :id; COMMIT";
  }

  /**
   * Gives the event the tenant's next feed position and commits the caller's transaction, both in
   * one round trip: the statement and {@code COMMIT} go to the server together. The tenant's row
   * stays locked from the statement until commit, so the tenant's other publishes wait for that
   * instant only, and positions follow commit order without gaps (a rollback gives its position
   * back). Sent together, that instant is the server's own work and its WAL flush; sent apart, it
   * also held a trip back to this process and that thread's turn on a busy CPU, and every publish
   * of the tenant queued behind it (the delivery benchmark saw 11 of 16 publishers waiting on it).
   *
   * <p>Nothing may follow in the transaction: it has ended when this returns. The caller's own
   * commit then finds no transaction open and sends nothing.
   *
   * @param ordered whether some of the event's deliveries are ordered: they get the position too,
   *     the order their key's sequencer follows
   */
  void assignPositionAndCommit(Handle h, String tenantId, String id, boolean ordered) {
    int positioned = h.createUpdate(ordered ? POSITION_ORDERED_AND_COMMIT : POSITION_AND_COMMIT)
        .bind("t", tenantId)
        .bind("id", id)
        .execute();
    if (positioned != 1) {
      throw new IllegalStateException("event " + id + " took " + positioned + " feed positions");
    }
  }

  /**
   * The tenant's events after feed position {@code after} (0 for the start), oldest first. An
   * event given no position (a subscription's test event) is not in the feed.
   *
   * @param typePattern an exact type, a prefix ending in {@code *}, {@code *}, or null for all
   */
  public List<FeedEntry> feed(String tenantId, long after, String typePattern, int limit) {
    String typeCondition = "";
    String typeValue = null;
    if (typePattern != null && !typePattern.equals("*")) {
      if (typePattern.endsWith("*")) {
        typeCondition = " AND type LIKE :type ESCAPE '\\'";
        typeValue = likeEscaped(typePattern.substring(0, typePattern.length() - 1)) + "%";
      } else {
        typeCondition = " AND type = :type";
        typeValue = typePattern;
      }
    }
    String sql =
        "SELECT seq, tenant_id, id, type, payload, attributes::text AS attributes, delivery_count,"
            + " created_at FROM events WHERE tenant_id = :t AND seq > :after" + typeCondition
            + " ORDER BY seq LIMIT :limit";
    String type = typeValue;
    return jdbi.withHandle(
        h ->
            h.createQuery(sql)
                .bind("t", tenantId)
                .bind("after", after)
                .bind("type", type)
                .bind("limit", limit)
                .map((rs, ctx) -> new FeedEntry(rs.getLong("seq"), map(rs)))
                .list());
  }

  /**
   * The highest feed position of the tenant's that retention removed, 0 when none was: the feed
   * holds the positions after it, and a cursor before it may have missed removed events.
   */
  public long purgedPosition(String tenantId) {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT position FROM event_feed_purged WHERE tenant_id = :t")
            .bind("t", tenantId)
            .mapTo(Long.class)
            .findOne()
            .orElse(0L));
  }

  private static String likeEscaped(String literal) {
    return literal.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  /** The stored request hash of an event, to tell a repeat from a conflict. */
  Optional<String> requestHash(Handle h, String tenantId, String id) {
    return h.createQuery("SELECT request_hash FROM events WHERE tenant_id = :t AND id = :id")
        .bind("t", tenantId)
        .bind("id", id)
        .mapTo(String.class)
        .findOne();
  }

  public Optional<Event> find(String tenantId, String id) {
    return jdbi.withHandle(h -> find(h, tenantId, id));
  }

  Optional<Event> find(Handle h, String tenantId, String id) {
    return h.createQuery(
            "SELECT tenant_id, id, type, payload, attributes::text AS attributes, delivery_count,"
                + " created_at FROM events WHERE tenant_id = :t AND id = :id")
        .bind("t", tenantId)
        .bind("id", id)
        .map((rs, ctx) -> map(rs))
        .findOne();
  }

  private Event map(ResultSet rs) throws SQLException {
    try {
      return new Event(
          rs.getString("tenant_id"),
          rs.getString("id"),
          rs.getString("type"),
          rs.getString("payload"),
          Map.copyOf(json.readValue(rs.getString("attributes"), STRING_MAP)),
          rs.getInt("delivery_count"),
          rs.getTimestamp("created_at").toInstant());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable attributes", e);
    }
  }
}
