package dev.herald.api.auth;

import dev.herald.core.tenant.ApiKeys;
import dev.herald.core.tenant.KeyOwner;
import dev.herald.core.tenant.TenantDao;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * API keys and their tenants as recently read from PostgreSQL, so that a busy caller's requests
 * do not each cost a query. An entry lives {@code ttl}: a key revoked, or a tenant switched off, by
 * another process stops working within that time and one query's duration. When an entry expires,
 * one request reads it again while the caller's other requests go on with the entry they have
 * for that read's duration: a busy key costs one query per {@code ttl}, not one per request in
 * flight. Only keys that exist are kept (an unknown key is looked up every time, so that guessing
 * fills nothing), by the hash of the key, never the key; at most {@link #MAX_ENTRIES}, forgotten
 * all at once past that.
 */
final class CachedKeys {

  /** Entries kept at most: far more keys than any deployment calls with within a TTL. */
  static final int MAX_ENTRIES = 10_000;

  private record Entry(KeyOwner found, long readAtNanos) {}

  private final Function<String, Optional<KeyOwner>> read;
  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  CachedKeys(TenantDao tenants, Duration ttl) {
    this(tenants::findLiveKey, ttl, System::nanoTime);
  }

  /** Reads with {@code read} (a key's live owner, or empty) on the clock {@code nanoTime}. */
  CachedKeys(Function<String, Optional<KeyOwner>> read, Duration ttl, LongSupplier nanoTime) {
    this.read = read;
    this.ttlNanos = ttl.toNanos();
    this.nanoTime = nanoTime;
  }

  /** The live key {@code clearKey} and its tenant, at most {@code ttl} old; empty when unknown. */
  Optional<KeyOwner> find(String clearKey) {
    if (ttlNanos <= 0) {
      return read.apply(clearKey);
    }
    String hash = ApiKeys.hash(clearKey);
    long now = nanoTime.getAsLong();
    Entry entry = entries.get(hash);
    if (entry != null && now - entry.readAtNanos() < ttlNanos) {
      return Optional.of(entry.found());
    }
    if (entry != null && !entries.replace(hash, entry, new Entry(entry.found(), now))) {
      // Another request is reading this key again; the entry it left is at most that read old.
      Entry current = entries.get(hash);
      if (current != null) {
        return Optional.of(current.found());
      }
    }
    Optional<KeyOwner> found;
    try {
      found = read.apply(clearKey);
    } catch (RuntimeException e) {
      entries.remove(hash);
      throw e;
    }
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
}
