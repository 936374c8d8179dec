package dev.herald.workflows.release;

import dev.herald.workflows.temporal.InfrastructureRetry;
import dev.herald.workflows.temporal.PacedBatches;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * The release loop ({@link PacedBatches}): one {@code releaseBatch} activity, then a one-second
 * durable timer, until a batch finds nothing (and no signal asked for another look) or the
 * subscription stops being deliverable. Continues as new after {@link
 * ReleaseInput#batchesPerRun()} batches or when Temporal suggests it, carrying the totals. Pure
 * orchestration.
 */
public class ReleaseWorkflowImpl implements ReleaseWorkflow {

  private static final Logger log = Workflow.getLogger(ReleaseWorkflowImpl.class);

  // No maximum attempts: releasing is safe to repeat (held rows are moved once), so a database
  // outage delays the release instead of ending it with deliveries still held.
  private static final RetryOptions INFRASTRUCTURE_RETRY = InfrastructureRetry.OPTIONS;

  private String state = ReleaseProgress.RELEASING;
  private long released;
  private long batches;
  private int lastBatch;
  private boolean lookAgain;

  @Override
  public void release(ReleaseInput input) {
    released = input.releasedSoFar();
    batches = input.batchesSoFar();
    ReleaseActivities activities = activities(input.ratePerSecond());
    PacedBatches.run(input.batchesPerRun(), () -> releaseBatch(activities, input),
        () -> Workflow.continueAsNew(input.continued(released, batches)));
  }

  /** One batch; whether another should follow. */
  private boolean releaseBatch(ReleaseActivities activities, ReleaseInput input) {
    // A signal from here on asks for a look after this batch; one before it is this batch.
    lookAgain = false;
    ReleaseBatchResult result =
        activities.releaseBatch(new ReleaseBatch(input.subscriptionId(), input.ratePerSecond()));
    batches++;
    lastBatch = result.released();
    released += result.released();
    if (!result.deliverable()) {
      state = ReleaseProgress.STOPPED;
      Workflow.setCurrentDetails(
          "stopped: the subscription is paused, disabled or deleted; released " + released
              + " held deliveries, the rest stay held");
      log.info("release of {} stopped after {} deliveries", input.subscriptionId(), released);
      return false;
    }
    if (result.released() == 0 && !lookAgain) {
      state = ReleaseProgress.DONE;
      Workflow.setCurrentDetails(
          "done: released " + released + " held deliveries in " + batches + " batches");
      return false;
    }
    Workflow.setCurrentDetails(
        "released " + released + " held deliveries; " + lastBatch + " in the last batch");
    return true;
  }

  @Override
  public void releaseAgain() {
    lookAgain = true;
  }

  @Override
  public ReleaseProgress progress() {
    return new ReleaseProgress(state, released, batches, lastBatch);
  }

  private static ReleaseActivities activities(int limit) {
    return Workflow.newActivityStub(
        ReleaseActivities.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(2))
            .setRetryOptions(INFRASTRUCTURE_RETRY)
            .setSummary("release up to " + limit + " held deliveries")
            .build());
  }
}
