package dev.herald.core.tenant;

import java.time.Instant;

/**
 * A key as an operator sees it: what is stored of it, when it was made and, once revoked, when.
 *
 * @param key its id, tenant, display prefix and scopes
 * @param createdAt when it was issued
 * @param revokedAt when it was revoked, or {@code null} while it is live
 */
public record StoredKey(ApiKey key, Instant createdAt, Instant revokedAt) {

  public boolean isRevoked() {
    return revokedAt != null;
  }
}
