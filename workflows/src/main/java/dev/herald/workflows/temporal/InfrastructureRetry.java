package dev.herald.workflows.temporal;

import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * How every Herald activity is retried when the infrastructure fails (database down, worker
 * lost): from 1 s, doubling, at most a minute apart, with no maximum of attempts. Herald's
 * activities are idempotent, so retrying until it clears delays work instead of losing it.
 */
public final class InfrastructureRetry {

  public static final RetryOptions OPTIONS =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofMinutes(1))
          .build();

  private InfrastructureRetry() {}
}
