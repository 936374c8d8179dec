package dev.herald.workflows.retention;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The side effect of retention. Implementations are shared between threads. */
@ActivityInterface
public interface RetentionActivities {

  /**
   * In one short transaction, removes up to the worker's batch size of finished deliveries whose
   * completion is older than the worker's retention period, with their attempts and every row
   * that hangs on them, then the events older than that no delivery refers to any more. Rows
   * another transaction holds are skipped. Safe to retry: a repeated batch takes what is left.
   */
  @ActivityMethod
  RetentionBatchResult purgeBatch();
}
