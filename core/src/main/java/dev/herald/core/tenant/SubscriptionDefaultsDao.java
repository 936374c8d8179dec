package dev.herald.core.tenant;

import org.jdbi.v3.core.Jdbi;

/**
 * A tenant's defaults for new subscriptions ({@code method}, {@code signature}, {@code
 * headerNames}, {@code body}), kept as the JSON object the tenant gave; {@code {}} when none.
 */
public final class SubscriptionDefaultsDao {

  private final Jdbi jdbi;

  public SubscriptionDefaultsDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The tenant's defaults as a JSON object's text. */
  public String find(String tenantId) {
    return jdbi.withHandle(h -> h.createQuery(
                "SELECT subscription_defaults::text FROM tenants WHERE id = :id")
            .bind("id", tenantId)
            .mapTo(String.class)
            .findOne()
            .orElse("{}"));
  }

  /** Replaces the tenant's defaults with this JSON object's text. */
  public void save(String tenantId, String json) {
    jdbi.useHandle(h -> h.createUpdate(
            "UPDATE tenants SET subscription_defaults = CAST(:json AS jsonb) WHERE id = :id")
        .bind("id", tenantId)
        .bind("json", json)
        .execute());
  }
}
