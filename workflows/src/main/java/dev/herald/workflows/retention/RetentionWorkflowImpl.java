package dev.herald.workflows.retention;

import dev.herald.workflows.temporal.InfrastructureRetry;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * The retention loop: one {@code purgeBatch} activity; after a full batch a short pause, else a
 * durable idle timer; continues as new after {@link RetentionInput#batchesPerRun()} batches or
 * when Temporal suggests it, carrying the totals. Pure orchestration.
 */
public class RetentionWorkflowImpl implements RetentionWorkflow {

  // No maximum attempts: a batch is safe to repeat, so a database outage delays retention
  // instead of ending the workflow.
  private final RetentionActivities activities =
      Workflow.newActivityStub(
          RetentionActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofMinutes(2))
              .setRetryOptions(InfrastructureRetry.OPTIONS)
              .setSummary("remove one batch past the retention period")
              .build());

  private RetentionProgress progress = RetentionProgress.starting();

  @Override
  public void run(RetentionInput input) {
    progress = input.progress();
    TimerOptions pause = TimerOptions.newBuilder().setSummary("pause between full batches").build();
    TimerOptions idle = TimerOptions.newBuilder().setSummary("caught up: wait for the next look").build();
    for (int batchesThisRun = 1; ; batchesThisRun++) {
      RetentionBatchResult result = activities.purgeBatch();
      progress = progress.after(result);
      Workflow.setCurrentDetails(RetentionDescriptions.details(progress, result));
      if (!result.full()) {
        Workflow.newTimer(Duration.ofMillis(input.idleMillis()), idle).get();
      } else if (input.pauseMillis() > 0) {
        Workflow.newTimer(Duration.ofMillis(input.pauseMillis()), pause).get();
      }
      if (batchesThisRun >= input.batchesPerRun() || Workflow.getInfo().isContinueAsNewSuggested()) {
        // After the wait, so the new run's first batch keeps to the pace.
        Workflow.continueAsNew(input.continued(progress));
      }
    }
  }

  @Override
  public RetentionProgress progress() {
    return progress;
  }
}
