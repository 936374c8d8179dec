package dev.herald.worker.sweeper;

import dev.herald.api.temporal.Handoff;
import dev.herald.core.job.Job;
import dev.herald.core.job.JobDao;
import dev.herald.workflows.recovery.RecoveryWorkflows;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Running jobs that nothing is running: a recovery's row advances every second, so one untouched
 * past the grace period lost its workflow (the API committed the job and could not start it;
 * {@code herald dev}'s in-memory Temporal was restarted) or has one stuck retrying a batch. A
 * missing or closed workflow is started again and goes on from the job's stored position; one an
 * operator terminated or cancelled ends the job {@code failed}; a running one is left alone.
 */
public final class StrandedJobs {

  private static final Logger log = LoggerFactory.getLogger(StrandedJobs.class);

  private final JobDao jobs;
  private final WorkflowStatuses workflows;
  private final Handoff handoff;
  private final Clock clock;
  private final Duration grace;

  StrandedJobs(JobDao jobs, WorkflowStatuses workflows, Handoff handoff, Clock clock, Duration grace) {
    this.jobs = jobs;
    this.workflows = workflows;
    this.handoff = handoff;
    this.clock = clock;
    this.grace = grace;
  }

  public StrandedJobs(
      JobDao jobs, WorkflowClient client, Handoff handoff, Clock clock,
      Duration grace) {
    this(jobs, new WorkflowStatuses(client), handoff, clock, grace);
  }

  /** Reconciles at most {@code limit} stale running jobs; returns how many were started again. */
  public int restart(int limit) {
    List<Job> stale = jobs.findStale(clock.instant().minus(grace), limit);
    int restarted = 0;
    for (Job job : stale) {
      try {
        WorkflowExecutionStatus status = workflows.of(RecoveryWorkflows.workflowId(job.id()));
        switch (status) {
          case WORKFLOW_EXECUTION_STATUS_RUNNING -> { }
          case WORKFLOW_EXECUTION_STATUS_TERMINATED, WORKFLOW_EXECUTION_STATUS_CANCELED -> {
            if (jobs.markFailed(job.id(), clock.instant())) {
              log.info("job {} failed: its workflow was {}", job.id(), status);
            }
          }
          default -> {
            if (handoff.recover(job)) {
              restarted++;
              log.info("job {} restarted from its stored position (workflow {})", job.id(), status);
            }
          }
        }
      } catch (RuntimeException e) {
        log.warn("could not reconcile job {}: {}", job.id(), e.toString());
      }
    }
    return restarted;
  }
}
