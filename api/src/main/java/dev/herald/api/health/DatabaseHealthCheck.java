package dev.herald.api.health;

import com.codahale.metrics.health.HealthCheck;
import org.jdbi.v3.core.Jdbi;

/**
 * PostgreSQL answers a trivial query. When it cannot be reached, the check says why and since
 * when (e.g. {@code unreachable since 2025-01-01T00:00:00Z (12.0 s): Connection to
 * 127.0.0.1:5432 refused (SQLState 08001)}), and counts as the start of an outage.
 */
public final class DatabaseHealthCheck extends HealthCheck {

  private final Jdbi jdbi;
  private final DatabaseOutage outage;

  public DatabaseHealthCheck(Jdbi jdbi, DatabaseOutage outage) {
    this.jdbi = jdbi;
    this.outage = outage;
  }

  @Override
  protected Result check() {
    try {
      jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
    } catch (RuntimeException e) {
      String cause = DatabaseFaults.unreachable(e);
      if (cause == null) {
        throw e;
      }
      outage.unreachable(cause);
      return Result.unhealthy(outage.current().map(outage::describe).orElse("unreachable: " + cause));
    }
    outage.reachable();
    return Result.healthy();
  }
}
