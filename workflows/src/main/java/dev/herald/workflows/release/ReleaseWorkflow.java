package dev.herald.workflows.release;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Sends a subscription's held deliveries out again after it is unpaused or re-enabled: one
 * workflow per subscription, id {@code subscription-release-<subscriptionId>}, started with
 * signal-with-start so that a release already running is told to look again instead of being
 * duplicated.
 *
 * <p>Each batch releases at most {@link ReleaseInput#ratePerSecond()} deliveries, oldest first;
 * a one-second durable timer separates batches. The release ends when a batch finds nothing and
 * no {@link #releaseAgain()} arrived meanwhile, or when the subscription is no longer deliverable.
 */
@WorkflowInterface
public interface ReleaseWorkflow {

  @WorkflowMethod
  void release(ReleaseInput input);

  /**
   * Held deliveries may have been added, or the subscription re-enabled again: look once more
   * before ending.
   */
  @SignalMethod
  void releaseAgain();

  /** How far the release has come. */
  @QueryMethod
  ReleaseProgress progress();
}
