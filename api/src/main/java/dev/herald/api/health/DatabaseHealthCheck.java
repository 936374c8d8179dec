package dev.herald.api.health;

import com.codahale.metrics.health.HealthCheck;
import org.jdbi.v3.core.Jdbi;

/** PostgreSQL answers a trivial query. */
public final class DatabaseHealthCheck extends HealthCheck {

  private final Jdbi jdbi;

  public DatabaseHealthCheck(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  protected Result check() {
    jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
    return Result.healthy();
  }
}
