package dev.herald.workflows.release;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The side effects of a release. Implementations are shared between threads. */
@ActivityInterface
public interface ReleaseActivities {

  /**
   * In one short transaction, moves up to {@code limit} of the subscription's held deliveries to
   * pending, oldest first, provided the subscription is live, active and not paused; then starts
   * their workflows. A start that fails is left to the sweeper (the row is already pending), so
   * this never fails for it.
   */
  @ActivityMethod
  ReleaseBatchResult releaseBatch(ReleaseBatch batch);
}
