package dev.herald.api.health;

import com.codahale.metrics.health.HealthCheck;
import dev.herald.api.temporal.TemporalConnection;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import java.util.concurrent.TimeUnit;

/** The Temporal frontend answers. */
public final class TemporalHealthCheck extends HealthCheck {

  private final TemporalConnection temporal;

  public TemporalHealthCheck(TemporalConnection temporal) {
    this.temporal = temporal;
  }

  @Override
  protected Result check() {
    temporal
        .service()
        .blockingStub()
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
    return Result.healthy();
  }
}
