package dev.herald.api.auth;

import dev.herald.core.tenant.ApiKey;
import dev.herald.core.tenant.ApiKeys;
import dev.herald.core.tenant.Tenant;
import dev.herald.core.tenant.TenantDao;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * API keys and their tenants as recently read from PostgreSQL, so that a busy caller's requests
 * do not each cost two queries. An entry lives {@code ttl}: a key revoked, or a tenant switched
 * off, by another process stops working within that time. Only keys that exist are kept (an
 * unknown key is looked up every time, so that guessing fills nothing), by the hash of the key,
 * never the key; at most {@link #MAX_ENTRIES}, forgotten all at once past that.
 */
final class CachedKeys {

  /** Entries kept at most: far more keys than any deployment calls with within a TTL. */
  static final int MAX_ENTRIES = 10_000;

  /** A key and its tenant as read at {@code readAtNanos}. */
  record Found(ApiKey key, Tenant tenant) {}

  private record Entry(Found found, long readAtNanos) {}

  private final TenantDao tenants;
  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  CachedKeys(TenantDao tenants, Duration ttl) {
    this(tenants, ttl, System::nanoTime);
  }

  CachedKeys(TenantDao tenants, Duration ttl, LongSupplier nanoTime) {
    this.tenants = tenants;
    this.ttlNanos = ttl.toNanos();
    this.nanoTime = nanoTime;
  }

  /** The live key {@code clearKey} and its tenant, at most {@code ttl} old; empty when unknown. */
  Optional<Found> find(String clearKey) {
    if (ttlNanos <= 0) {
      return read(clearKey);
    }
    String hash = ApiKeys.hash(clearKey);
    long now = nanoTime.getAsLong();
    Entry entry = entries.get(hash);
    if (entry != null && now - entry.readAtNanos() < ttlNanos) {
      return Optional.of(entry.found());
    }
    Optional<Found> found = read(clearKey);
    if (found.isPresent()) {
      if (entries.size() >= MAX_ENTRIES) {
        entries.clear();
      }
      entries.put(hash, new Entry(found.get(), now));
    } else {
      entries.remove(hash);
    }
    return found;
  }

  private Optional<Found> read(String clearKey) {
    return tenants.findKey(clearKey)
        .flatMap(key -> tenants.find(key.tenantId()).map(tenant -> new Found(key, tenant)));
  }
}
