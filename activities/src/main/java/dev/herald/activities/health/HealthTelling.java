package dev.herald.activities.health;

import dev.herald.core.delivery.Attempt;
import dev.herald.core.delivery.DeliveryDao;
import dev.herald.core.delivery.Streak;
import dev.herald.core.subscription.Subscription;
import dev.herald.workflows.health.AttemptReport;
import dev.herald.workflows.health.HealthThresholds;

/**
 * Tells a subscription's health workflow of the attempts that matter to it, with PostgreSQL's
 * exact count and streak start: a failure only when it makes the count cross a threshold
 * ({@link HealthThresholds}), a success only when it ends a streak the workflow may know. Under a
 * failure storm the workflow hears of about 20 attempts instead of every one, so its history stays
 * small. A one-off delivery's target has no health workflow: nothing is told.
 */
public final class HealthTelling {

  private final HealthReporter reporter;
  private final DeliveryDao deliveries;

  public HealthTelling(HealthReporter reporter, DeliveryDao deliveries) {
    this.reporter = reporter;
    this.deliveries = deliveries;
  }

  /** After an attempt was recorded, with the streak its recording left. */
  public void recorded(String tenantId, Subscription s, Attempt a, Streak streak) {
    if (s.isOneOff()) {
      return;
    }
    if (!succeeded(a)) {
      if (HealthThresholds.tellFailure(streak.failuresAfter(), s.disableAfterFailures(), gone(a))) {
        reporter.failed(tenantId, s.id(), report(s, a, streak));
      }
    } else if (HealthThresholds.tellSuccess(streak.failuresBefore(), s.disableAfterFailures())) {
      reporter.succeeded(tenantId, s.id(), report(s, a, null));
    }
  }

  /**
   * After an attempt an earlier run of the activity recorded (it may have failed before telling):
   * told again, with the streak as PostgreSQL has it now; a success only to a workflow already
   * running, which the success may be the end of.
   */
  public void replayed(String tenantId, Subscription s, Attempt a) {
    if (s.isOneOff()) {
      return;
    }
    if (succeeded(a)) {
      reporter.succeededIfWatched(s.id(), report(s, a, null));
      return;
    }
    deliveries.streakOf(s.id())
        .filter(streak -> streak.failuresAfter() > 0 && streak.failingSince() != null)
        .ifPresent(streak -> reporter.failed(tenantId, s.id(), report(s, a, streak)));
  }

  private static AttemptReport report(Subscription s, Attempt a, Streak streak) {
    return new AttemptReport(a.id(), a.deliveryId(),
        a.startedAt().plusMillis(a.durationMs()).toEpochMilli(), a.statusCode(), a.error(),
        s.disableAfterFailures(), s.disableAfterSeconds(),
        streak == null ? null : streak.failuresAfter(),
        streak == null || streak.failingSince() == null ? null : streak.failingSince().toEpochMilli());
  }

  private static boolean succeeded(Attempt a) {
    return a.outcome().succeeded();
  }

  private static boolean gone(Attempt a) {
    return Integer.valueOf(410).equals(a.statusCode());
  }
}
