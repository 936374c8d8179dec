package dev.herald.core.tenant;

import dev.herald.core.ids.Ids;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/** Tenants and their API keys. */
public final class TenantDao {

  private final Jdbi jdbi;
  private final Ids ids;
  private final Clock clock;

  public TenantDao(Jdbi jdbi, Ids ids, Clock clock) {
    this.jdbi = jdbi;
    this.ids = ids;
    this.clock = clock;
  }

  public Tenant create(String name, Integer maxSubscriptions) {
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
            h.createQuery(
                    "SELECT id, name, webhooks_enabled, max_subscriptions, created_at FROM tenants"
                        + " WHERE id = :id")
                .bind("id", tenantId)
                .map(
                    (rs, ctx) ->
                        new Tenant(
                            rs.getString("id"),
                            rs.getString("name"),
                            rs.getBoolean("webhooks_enabled"),
                            (Integer) rs.getObject("max_subscriptions"),
                            rs.getTimestamp("created_at").toInstant()))
                .findOne());
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

  /** Issues a key for the tenant; the clear key is in the answer and nowhere else. */
  public IssuedKey issueKey(String tenantId, Set<Scope> scopes) {
    String key = ApiKeys.newKey();
    ApiKey stored = new ApiKey(ids.next("key"), tenantId, ApiKeys.displayPrefix(key), Set.copyOf(scopes));
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
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT id, tenant_id, prefix, scopes FROM api_keys"
                        + " WHERE key_hash = :hash AND revoked_at IS NULL")
                .bind("hash", ApiKeys.hash(clearKey))
                .map(
                    (rs, ctx) -> {
                      String[] names = (String[]) rs.getArray("scopes").getArray();
                      Set<Scope> scopes =
                          Set.copyOf(
                              List.of(names).stream()
                                  .flatMap(n -> Scope.fromWireName(n).stream())
                                  .toList());
                      return new ApiKey(
                          rs.getString("id"), rs.getString("tenant_id"), rs.getString("prefix"), scopes);
                    })
                .findOne());
  }
}
