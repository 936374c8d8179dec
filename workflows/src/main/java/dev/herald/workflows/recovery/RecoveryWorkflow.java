package dev.herald.workflows.recovery;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Re-delivers a subscription's failed deliveries of a time window: one workflow per job, id
 * {@code recovery-<jobId>}. Each batch reopens at most {@link RecoveryInput#ratePerSecond()}
 * deliveries, oldest first, and starts their delivery workflows without waiting for their
 * attempts; a one-second durable timer separates batches. It ends when a batch finds nothing
 * left (or the subscription is gone). The job's row in PostgreSQL is the record; the workflow
 * only drives it.
 */
@WorkflowInterface
public interface RecoveryWorkflow {

  @WorkflowMethod
  void recover(RecoveryInput input);

  /** The job's counters as of the latest batch. */
  @QueryMethod
  RecoveryProgress progress();
}
