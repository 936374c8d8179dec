package dev.herald.workflows.health;

import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;

/**
 * The one durable timer of the health workflow: set for the instant a streak that has reached
 * its count becomes old enough to disable, moved or cancelled as the streak changes. Workflow
 * code: deterministic, used from the workflow thread only.
 */
final class DisableTimer {

  private CancellationScope scope;
  private Promise<Void> timer;
  private long atMillis;

  /** Keeps the timer set for {@code dueAtMillis}, or cancels it when that is null. */
  void arm(Long dueAtMillis) {
    if (dueAtMillis == null) {
      cancel();
      return;
    }
    if (timer != null && atMillis == dueAtMillis && !timer.isCompleted()) {
      return;
    }
    cancel();
    Duration wait = Duration.ofMillis(dueAtMillis - Workflow.currentTimeMillis());
    TimerOptions options =
        TimerOptions.newBuilder()
            .setSummary("disable at " + Instant.ofEpochMilli(dueAtMillis) + " unless an attempt succeeds")
            .build();
    atMillis = dueAtMillis;
    scope = Workflow.newCancellationScope(() -> timer = Workflow.newTimer(wait, options));
    scope.run();
    // A cancelled timer fails its promise; nothing waits on it then, so say it was seen.
    timer.exceptionally(failure -> null);
  }

  boolean fired() {
    return timer != null && timer.isCompleted();
  }

  void cancel() {
    if (timer != null && !timer.isCompleted()) {
      scope.cancel();
    }
    timer = null;
    scope = null;
  }

  /** When the running timer fires, or null when none runs. */
  Long waitingUntil() {
    return timer != null && !timer.isCompleted() ? atMillis : null;
  }
}
