package dev.herald.api.temporal;

import dev.herald.core.job.Job;
import dev.herald.workflows.recovery.RecoveryInput;
import dev.herald.workflows.recovery.RecoveryWorkflow;
import dev.herald.workflows.recovery.RecoveryWorkflows;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the workflow {@code recovery-<jobId>} of a committed recovery job. Idempotent: a
 * workflow already running for the job is left alone.
 */
final class RecoveryStarter {

  private static final Logger log = LoggerFactory.getLogger(RecoveryStarter.class);

  private final WorkflowClient client;
  private final int ratePerSecond;

  /** @param ratePerSecond failed deliveries reopened per second (per batch, batches a second apart) */
  public RecoveryStarter(WorkflowClient client, int ratePerSecond) {
    this.client = client;
    this.ratePerSecond = ratePerSecond;
  }

  /**
   * Starts the job's workflow, which goes on from the job's stored position. Never throws for
   * Temporal: the job stays {@code running} in PostgreSQL and the sweeper starts it once it has
   * waited past its grace period.
   *
   * @return true when Temporal runs the job's workflow (started now or already running), false
   *     when it could not be reached
   */
  public boolean start(Job job) {
    RecoveryWorkflow workflow =
        client.newWorkflowStub(
            RecoveryWorkflow.class,
            RecoveryWorkflows.options(job.id(), job.subscriptionId(), job.since(), job.until()));
    try {
      WorkflowClient.start(workflow::recover, RecoveryInput.of(job.id(), ratePerSecond));
      return true;
    } catch (WorkflowExecutionAlreadyStarted e) {
      return true;
    } catch (RuntimeException e) {
      log.warn("could not start the recovery {}; the sweeper will: {}", job.id(), e.toString());
      return false;
    }
  }
}
