package dev.herald.workflows.recovery;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The side effects of a recovery. Implementations are shared between threads. */
@ActivityInterface
public interface RecoveryActivities {

  /**
   * In one transaction, takes up to {@code limit} of the job's deliveries after its stored
   * position, oldest first, reopens those still failed for one more attempt, and advances the
   * position and counters; then starts their delivery workflows (a start that fails is left to the
   * sweeper: the delivery is already pending). A batch that finds nothing completes the job. Safe
   * to retry: a repeated batch goes on from the committed position and reopens nothing twice.
   */
  @ActivityMethod
  RecoveryBatchResult recoverBatch(RecoveryBatch batch);
}
