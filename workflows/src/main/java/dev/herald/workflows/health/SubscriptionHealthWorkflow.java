package dev.herald.workflows.health;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Counts a subscription's consecutive failed attempts and disables it when they pass its
 * threshold: one long-lived workflow per subscription, id {@code subscription-health-<id>},
 * started by the first signal (signal-with-start, from the attempt activity) and continued as
 * new to keep its history bounded.
 *
 * <p>A subscription is disabled when {@code disableAfterFailures} consecutive attempts have
 * failed AND the first of them is at least {@code disableAfterSeconds} old ({@code failures: 0}
 * never disables); a 410 Gone disables at once. Half-way to the count the owner is warned, once
 * per streak. A success ends the streak. Healthy endpoints send no signals at all: a success is
 * reported only when the stored count was above zero.
 */
@WorkflowInterface
public interface SubscriptionHealthWorkflow {

  /** Runs for as long as the subscription exists, continuing as new along the way. */
  @WorkflowMethod
  void watch(HealthInput input);

  /** An attempt failed. Reports are deduplicated by attempt id. */
  @SignalMethod
  void attemptFailed(AttemptReport report);

  /** An attempt succeeded: the streak, if any, ends. */
  @SignalMethod
  void attemptSucceeded(AttemptReport report);

  /**
   * Starts counting from zero: sent when the subscription is re-enabled, or by an operator from
   * the Temporal UI (input: {@code {"reason": "…"}}).
   */
  @SignalMethod
  void reset(ResetRequest request);

  /** The count, the streak's start, the last error and whether the subscription is disabled. */
  @QueryMethod
  HealthState state();
}
