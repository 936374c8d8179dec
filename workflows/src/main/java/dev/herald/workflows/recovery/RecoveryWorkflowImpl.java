package dev.herald.workflows.recovery;

import dev.herald.workflows.temporal.InfrastructureRetry;
import dev.herald.workflows.temporal.PacedBatches;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * The recovery loop ({@link PacedBatches}): one {@code recoverBatch} activity, then a one-second
 * durable timer, until a batch reports the job finished. Continues as new after {@link
 * RecoveryInput#batchesPerRun()} batches or when Temporal suggests it, carrying the progress. Pure
 * orchestration.
 */
public class RecoveryWorkflowImpl implements RecoveryWorkflow {

  // No maximum attempts: a batch is safe to repeat (it goes on from the committed position), so
  // a database outage delays the recovery instead of ending it half done.
  private static final RetryOptions INFRASTRUCTURE_RETRY = InfrastructureRetry.OPTIONS;

  private RecoveryProgress progress = RecoveryProgress.starting();

  @Override
  public void recover(RecoveryInput input) {
    progress = input.progress();
    RecoveryActivities activities = activities(input.ratePerSecond());
    PacedBatches.run(input.batchesPerRun(),
        () -> {
          RecoveryBatchResult result =
              activities.recoverBatch(new RecoveryBatch(input.jobId(), input.ratePerSecond()));
          progress = progress.after(result);
          Workflow.setCurrentDetails(RecoveryDescriptions.details(progress));
          return result.running();
        },
        () -> Workflow.continueAsNew(input.continued(progress)));
  }

  @Override
  public RecoveryProgress progress() {
    return progress;
  }

  private static RecoveryActivities activities(int limit) {
    return Workflow.newActivityStub(
        RecoveryActivities.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(2))
            .setRetryOptions(INFRASTRUCTURE_RETRY)
            .setSummary("recover up to " + limit + " failed deliveries")
            .build());
  }
}
