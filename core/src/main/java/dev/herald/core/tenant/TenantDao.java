package dev.herald.core.tenant;

import dev.herald.core.ids.Ids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/** Tenants and their API keys. */
public final class TenantDao {

  private static final String TENANT_COLUMNS =
      "id, name, webhooks_enabled, max_subscriptions, created_at";
  private static final String KEY_COLUMNS =
      "id, tenant_id, prefix, scopes, created_at, revoked_at";

  private final Jdbi jdbi;
  private final Ids ids;
  private final Clock clock;

  public TenantDao(Jdbi jdbi, Ids ids, Clock clock) {
    this.jdbi = jdbi;
    this.ids = ids;
    this.clock = clock;
  }

  /**
   * Creates a tenant with its webhooks switched on.
   *
   * @param maxSubscriptions the limit, or {@code null} for none
   */
  public Tenant create(String name, Integer maxSubscriptions) {
    if (maxSubscriptions != null && maxSubscriptions < 0) {
      throw new IllegalArgumentException("a subscription limit cannot be negative");
    }
    Tenant tenant = new Tenant(ids.next("ten"), name, true, maxSubscriptions, clock.instant());
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO tenants (id, name, webhooks_enabled, max_subscriptions, created_at)"
                        + " VALUES (:id, :name, true, :max, :createdAt)")
                .bind("id", tenant.id())
                .bind("name", name)
                .bind("max", maxSubscriptions)
                .bind("createdAt", Timestamp.from(tenant.createdAt()))
                .execute());
    return tenant;
  }

  public Optional<Tenant> find(String tenantId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + TENANT_COLUMNS + " FROM tenants WHERE id = :id")
                .bind("id", tenantId)
                .map((rs, ctx) -> tenant(rs))
                .findOne());
  }

  /**
   * Applies the settings the update names and leaves the others alone.
   *
   * @return the tenant as it now is, or empty when there is no such tenant
   * @throws IllegalArgumentException when the update changes nothing
   */
  public Optional<Tenant> update(String tenantId, TenantUpdate update) {
    if (update.isEmpty()) {
      throw new IllegalArgumentException("the update changes nothing");
    }
    List<String> assignments = new ArrayList<>();
    if (update.webhooksEnabled() != null) {
      assignments.add("webhooks_enabled = :enabled");
    }
    if (update.maxSubscriptions() != null) {
      assignments.add("max_subscriptions = :max");
    }
    return jdbi.withHandle(
        h -> {
          var statement =
              h.createQuery(
                      "UPDATE tenants SET " + String.join(", ", assignments)
                          + " WHERE id = :id RETURNING " + TENANT_COLUMNS)
                  .bind("id", tenantId);
          if (update.webhooksEnabled() != null) {
            statement.bind("enabled", update.webhooksEnabled().booleanValue());
          }
          if (update.maxSubscriptions() != null) {
            statement.bindByType("max", update.maxSubscriptions().max(), Integer.class);
          }
          return statement.map((rs, ctx) -> tenant(rs)).findOne();
        });
  }

  /** Every tenant with its count of live keys, oldest first. */
  public List<TenantSummary> list() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT " + TENANT_COLUMNS + ","
                        + " (SELECT count(*) FROM api_keys k"
                        + "   WHERE k.tenant_id = t.id AND k.revoked_at IS NULL) AS live_keys"
                        + " FROM tenants t ORDER BY created_at, id")
                .map((rs, ctx) -> new TenantSummary(tenant(rs), rs.getInt("live_keys")))
                .list());
  }

  public Optional<Tenant> findByName(String name) {
    return jdbi.withHandle(
            h ->
                h.createQuery("SELECT id FROM tenants WHERE name = :name ORDER BY created_at LIMIT 1")
                    .bind("name", name)
                    .mapTo(String.class)
                    .findOne())
        .flatMap(this::find);
  }

  /**
   * Issues a key for the tenant; the clear key is in the answer and nowhere else.
   *
   * @throws IllegalArgumentException when no scope is given
   */
  public IssuedKey issueKey(String tenantId, Set<Scope> scopes) {
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException("a key needs at least one scope");
    }
    String key = ApiKeys.newKey();
    ApiKey stored =
        new ApiKey(ids.next("key"), tenantId, ApiKeys.displayPrefix(key),
        Collections.unmodifiableSet(EnumSet.copyOf(scopes)));
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO api_keys (id, tenant_id, prefix, key_hash, scopes, created_at)"
                        + " VALUES (:id, :tenantId, :prefix, :hash, :scopes, :createdAt)")
                .bind("id", stored.id())
                .bind("tenantId", tenantId)
                .bind("prefix", stored.prefix())
                .bind("hash", ApiKeys.hash(key))
                .bindArray("scopes", String.class, scopes.stream().map(Scope::wireName).sorted().toList())
                .bind("createdAt", Timestamp.from(clock.instant()))
                .execute());
    return new IssuedKey(key, stored);
  }

  /** The live key whose hash matches, if any. */
  public Optional<ApiKey> findKey(String clearKey) {
    return findLiveKey(clearKey).map(KeyOwner::key);
  }

  /**
   * The live key {@code clearKey} together with its tenant, in one query: what authenticating a
   * request needs.
   */
  public Optional<KeyOwner> findLiveKey(String clearKey) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT k.id, k.tenant_id, k.prefix, k.scopes, k.created_at, k.revoked_at,"
                        + " t.name AS tenant_name, t.webhooks_enabled AS tenant_webhooks_enabled,"
                        + " t.max_subscriptions AS tenant_max_subscriptions,"
                        + " t.created_at AS tenant_created_at"
                        + " FROM api_keys k JOIN tenants t ON t.id = k.tenant_id"
                        + " WHERE k.key_hash = :hash AND k.revoked_at IS NULL")
                .bind("hash", ApiKeys.hash(clearKey))
                .map(
                    (rs, ctx) ->
                        new KeyOwner(
                            storedKey(rs).key(),
                            tenant(rs, "tenant_")))
                .findOne());
  }

  /** A tenant's keys, live and revoked, oldest first. */
  public List<StoredKey> listKeys(String tenantId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT " + KEY_COLUMNS + " FROM api_keys WHERE tenant_id = :tenantId"
                        + " ORDER BY created_at, id")
                .bind("tenantId", tenantId)
                .map((rs, ctx) -> storedKey(rs))
                .list());
  }

  /** The key with this display prefix, live or revoked. */
  public Optional<StoredKey> findKeyByPrefix(String prefix) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + KEY_COLUMNS + " FROM api_keys WHERE prefix = :prefix")
                .bind("prefix", prefix)
                .map((rs, ctx) -> storedKey(rs))
                .findOne());
  }

  /**
   * Revokes the live key with this display prefix; the next request made with it is refused.
   *
   * @return the key as now revoked, or empty when no live key has this prefix (none ever had
   *     it, or it is already revoked: {@link #findKeyByPrefix} tells which)
   */
  public Optional<StoredKey> revokeKey(String prefix) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "UPDATE api_keys SET revoked_at = :now"
                        + " WHERE prefix = :prefix AND revoked_at IS NULL RETURNING " + KEY_COLUMNS)
                .bind("now", Timestamp.from(clock.instant()))
                .bind("prefix", prefix)
                .map((rs, ctx) -> storedKey(rs))
                .findOne());
  }

  private static Tenant tenant(ResultSet rs) throws SQLException {
    return tenant(rs, "");
  }

  /** The tenant in the columns named with {@code prefix} ({@code tenant_id}, …). */
  private static Tenant tenant(ResultSet rs, String prefix) throws SQLException {
    return new Tenant(
        rs.getString(prefix + "id"),
        rs.getString(prefix + "name"),
        rs.getBoolean(prefix + "webhooks_enabled"),
        (Integer) rs.getObject(prefix + "max_subscriptions"),
        rs.getTimestamp(prefix + "created_at").toInstant());
  }

  private static StoredKey storedKey(ResultSet rs) throws SQLException {
    // Enum order, so that scopes read the same way wherever they are shown.
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (String name : (String[]) rs.getArray("scopes").getArray()) {
      Scope.fromWireName(name).ifPresent(scopes::add);
    }
    Timestamp revokedAt = rs.getTimestamp("revoked_at");
    return new StoredKey(
        new ApiKey(
            rs.getString("id"),
            rs.getString("tenant_id"),
            rs.getString("prefix"),
            Collections.unmodifiableSet(scopes)),
        rs.getTimestamp("created_at").toInstant(),
        revokedAt == null ? null : revokedAt.toInstant());
  }
}
