package dev.herald.workflows.retention;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Removes what the retention period no longer keeps, for ever: one workflow, id {@code
 * herald-retention}, started by every worker process unless it runs already. Each batch is one
 * short activity; a full batch is followed by the next after {@link RetentionInput#pauseMillis()},
 * a short one by a durable timer of {@link RetentionInput#idleMillis()}. PostgreSQL is the record;
 * the workflow only drives the batches.
 */
@WorkflowInterface
public interface RetentionWorkflow {

  @WorkflowMethod
  void run(RetentionInput input);

  /** What was removed since the workflow started, and the latest cutoff. */
  @QueryMethod
  RetentionProgress progress();
}
