package dev.herald.core.tenant;

import dev.herald.core.crypto.SecretCipher;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * A tenant's signing secret for one-off deliveries that bring none of their own, sealed in the
 * tenant's row like a subscription's secret (bound to the row and column) and rotated the same
 * way: the secret it replaces may keep signing for a grace period.
 */
public final class OneOffSecretDao {

  /** The secrets that sign a one-off delivery made now. */
  public record Secrets(String secret, String previousSecret, Instant previousSecretExpiresAt) {
    @Override
    public String toString() {
      return "Secrets[hidden, previous until " + previousSecretExpiresAt + "]";
    }
  }

  private final Jdbi jdbi;
  private final SecretCipher cipher;

  public OneOffSecretDao(Jdbi jdbi, SecretCipher cipher) {
    this.jdbi = jdbi;
    this.cipher = cipher;
  }

  /** The tenant's secrets; empty until the first {@link #rotate}. */
  public Optional<Secrets> find(String tenantId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT one_off_secret, one_off_previous_secret,"
                        + " one_off_previous_secret_expires_at FROM tenants WHERE id = :t"
                        + " AND one_off_secret IS NOT NULL")
                .bind("t", tenantId)
                .map((rs, ctx) -> {
                  Timestamp expires = rs.getTimestamp(3);
                  return new Secrets(
                      cipher.open(rs.getString(1), context(tenantId, "one_off_secret")),
                      cipher.open(rs.getString(2), context(tenantId, "one_off_previous_secret")),
                      expires == null ? null : expires.toInstant());
                })
                .findOne());
  }

  /**
   * Signs with {@code secret} from now on; the current one, if any, keeps signing until {@code
   * previousUntil}, or stops at once when that is null.
   */
  public void rotate(String tenantId, String secret, Instant previousUntil) {
    jdbi.useTransaction(
        h -> {
          String current =
              h.createQuery("SELECT one_off_secret FROM tenants WHERE id = :t FOR UPDATE")
                  .bind("t", tenantId)
                  .mapTo(String.class)
                  .findOne()
                  .orElse(null);
          String previous =
              previousUntil == null || current == null
                  ? null
                  : cipher.open(current, context(tenantId, "one_off_secret"));
          h.createUpdate(
                  "UPDATE tenants SET one_off_secret = :secret, one_off_previous_secret = :previous,"
                      + " one_off_previous_secret_expires_at = :until WHERE id = :t")
              .bind("secret", cipher.seal(secret, context(tenantId, "one_off_secret")))
              .bind("previous", cipher.seal(previous, context(tenantId, "one_off_previous_secret")))
              .bind("until", previous == null ? null : Timestamp.from(previousUntil))
              .bind("t", tenantId)
              .execute();
        });
  }

  /**
   * Seals again, with the current key, every tenant's one-off secrets not yet sealed with it.
   *
   * @return how many tenants were re-sealed
   */
  public int resealSecrets() {
    List<String[]> rows =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT id, one_off_secret, one_off_previous_secret FROM tenants"
                            + " WHERE one_off_secret IS NOT NULL ORDER BY id")
                    .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})
                    .list());
    int resealed = 0;
    for (String[] row : rows) {
      if (!cipher.needsResealing(row[1]) && !cipher.needsResealing(row[2])) {
        continue;
      }
      String id = row[0];
      resealed +=
          jdbi.withHandle(
              h ->
                  h.createUpdate(
                          "UPDATE tenants SET one_off_secret = :secret,"
                              + " one_off_previous_secret = :previous WHERE id = :id"
                              + " AND one_off_secret = :old"
                              + " AND one_off_previous_secret IS NOT DISTINCT FROM :oldPrevious")
                      .bind("secret", reseal(row[1], context(id, "one_off_secret")))
                      .bind("previous", reseal(row[2], context(id, "one_off_previous_secret")))
                      .bind("id", id)
                      .bind("old", row[1])
                      .bind("oldPrevious", row[2])
                      .execute());
    }
    return resealed;
  }

  private String reseal(String stored, String context) {
    return cipher.seal(cipher.open(stored, context), context);
  }

  private static String context(String tenantId, String column) {
    return "tenants/" + tenantId + "/" + column;
  }
}
