package dev.herald.activities.recovery;

import dev.herald.activities.release.DeliveryLauncher;
import dev.herald.core.job.Job;
import dev.herald.core.job.JobDao;
import dev.herald.core.job.RecoveryStep;
import dev.herald.workflows.recovery.RecoveryActivities;
import dev.herald.workflows.recovery.RecoveryBatch;
import dev.herald.workflows.recovery.RecoveryBatchResult;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch of a recovery: reopen failed deliveries and advance the job in PostgreSQL, then start
 * their workflows. Shared by every activity thread of a worker; holds no state of its own.
 */
public final class RecoveryActivitiesImpl implements RecoveryActivities {

  private static final Logger log = LoggerFactory.getLogger(RecoveryActivitiesImpl.class);

  private final JobDao jobs;
  private final DeliveryLauncher launcher;
  private final Clock clock;

  public RecoveryActivitiesImpl(JobDao jobs, DeliveryLauncher launcher, Clock clock) {
    this.jobs = jobs;
    this.launcher = launcher;
    this.clock = clock;
  }

  @Override
  public RecoveryBatchResult recoverBatch(RecoveryBatch batch) {
    RecoveryStep step = jobs.recoverBatch(batch.jobId(), batch.limit(), clock.instant());
    if (!step.reopened().isEmpty()) {
      try {
        launcher.launch(step.reopened());
      } catch (RuntimeException e) {
        // The rows are committed as pending: the sweeper starts them after its grace period.
        // Failing here would make Temporal retry a batch whose position has already moved on.
        log.warn("could not start {} reopened deliveries of {}; the sweeper will: {}",
            step.reopened().size(), batch.jobId(), e.toString());
      }
    }
    Job job = step.job();
    return new RecoveryBatchResult(job.status().wireName(), job.total(), job.done(), job.failed(),
        step.reopened().size());
  }
}
