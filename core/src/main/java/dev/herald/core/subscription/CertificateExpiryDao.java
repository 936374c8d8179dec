package dev.herald.core.subscription;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The mutual-TLS certificates whose owners are yet to be told that they expire soon: live
 * subscriptions whose certificate's notAfter comes before a moment and whose fingerprint is not
 * the one already noticed. Each certificate is noticed once; a replaced one anew.
 */
public final class CertificateExpiryDao {

  /**
   * A certificate about to expire.
   *
   * @param fingerprint the SHA-256 of the leaf, which names this certificate's notice
   */
  public record Expiring(String subscriptionId, String tenantId, String fingerprint, Instant expiresAt) {}

  private final Jdbi jdbi;

  public CertificateExpiryDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** At most {@code limit} certificates expiring before {@code before} and not yet noticed, soonest first. */
  public List<Expiring> findUnnoticed(Instant before, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT id, tenant_id, certificate_fingerprint, certificate_expires_at"
                        + " FROM subscriptions WHERE certificate_expires_at IS NOT NULL"
                        + " AND deleted_at IS NULL AND kind = 'subscription'"
                        + " AND certificate_expires_at < :before"
                        + " AND certificate_noticed IS DISTINCT FROM certificate_fingerprint"
                        + " ORDER BY certificate_expires_at, id LIMIT :limit")
                .bind("before", Timestamp.from(before))
                .bind("limit", limit)
                .map(
                    (rs, ctx) ->
                        new Expiring(
                            rs.getString("id"),
                            rs.getString("tenant_id"),
                            rs.getString("certificate_fingerprint"),
                            rs.getTimestamp("certificate_expires_at").toInstant()))
                .list());
  }

  /**
   * Records that the owner was told about this certificate, unless it was replaced meanwhile.
   *
   * @return whether it was recorded
   */
  public boolean markNoticed(String subscriptionId, String fingerprint) {
    return jdbi.withHandle(
        h ->
            h.createUpdate(
                        "UPDATE subscriptions SET certificate_noticed = :fingerprint"
                            + " WHERE id = :id AND certificate_fingerprint = :fingerprint")
                    .bind("id", subscriptionId)
                    .bind("fingerprint", fingerprint)
                    .execute()
                > 0);
  }
}
