package dev.herald.workflows.batch;

import dev.herald.workflows.temporal.InfrastructureRetry;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * The gathering loop: look, wait for the first limit, claim, start the batch, again. Pure
 * orchestration: what is gathered lives in PostgreSQL, so a batcher lost or restarted at any point
 * loses nothing (a claim is idempotent on the batch id, which the workflow draws from its
 * replay-safe random source).
 */
public class BatcherWorkflowImpl implements BatcherWorkflow {

  /** With nothing gathered for this long, the batcher ends; the next publish starts it again. */
  static final Duration IDLE = Duration.ofMinutes(10);

  /** Wakes during a wait make a look at most this often. */
  static final Duration LOOK_SPACING = Duration.ofSeconds(1);

  private final BatchActivities activities =
      Workflow.newActivityStub(
          BatchActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofMinutes(1))
              .setRetryOptions(InfrastructureRetry.OPTIONS)
              .build());

  private boolean woken;

  @Override
  public void gather(BatcherInput input) {
    String subscriptionId = input.subscriptionId();
    while (true) {
      // A wake from here on asks for another look after this one.
      woken = false;
      long lookedAt = Workflow.currentTimeMillis();
      GatherResult gathered = activities.look(new GatherRequest(subscriptionId));
      if (!gathered.live()) {
        Workflow.setCurrentDetails("ended: the subscription was deleted");
        return;
      }
      if (gathered.count() == 0) {
        Workflow.setCurrentDetails("nothing gathered; waiting for deliveries");
        Workflow.await(IDLE, () -> woken);
        if (!woken) {
          Workflow.setCurrentDetails("ended: nothing gathered for " + IDLE.toMinutes() + " min");
          return;
        }
      } else if (!gathered.full() && gathered.dueMillis() > Workflow.currentTimeMillis()) {
        Workflow.setCurrentDetails(gathered.count() + " deliveries gathered (" + gathered.bytes()
            + " bytes); sending at the latest in "
            + (gathered.dueMillis() - Workflow.currentTimeMillis()) / 1000 + " s");
        Workflow.await(Duration.ofMillis(gathered.dueMillis() - Workflow.currentTimeMillis()),
            () -> woken);
        if (woken) {
          // Count and size are looked at again, no more than once a second under a stream of
          // publishes; the timer's deadline holds whatever the wakes.
          long next = lookedAt + LOOK_SPACING.toMillis();
          long wait = Math.min(next, gathered.dueMillis()) - Workflow.currentTimeMillis();
          if (wait > 0) {
            Workflow.sleep(Duration.ofMillis(wait));
          }
        }
      } else if (!claimAndSend(subscriptionId)) {
        // Held (paused, disabled) or taken meanwhile: look again, but not in a tight loop.
        Workflow.sleep(LOOK_SPACING);
      }
      if (Workflow.getInfo().getHistoryLength() > input.historyLimit()
          || Workflow.getInfo().isContinueAsNewSuggested()) {
        // The next run looks first, so a wake taken in now is not lost.
        Workflow.continueAsNew(input);
      }
    }
  }

  /** Claims what is gathered into a batch and starts its workflow; false when nothing was claimed. */
  private boolean claimAndSend(String subscriptionId) {
    String batchId = "bat_" + Workflow.randomUUID().toString().replace("-", "");
    ClaimResult claim = activities.claim(new ClaimRequest(batchId, subscriptionId));
    if (!claim.claimed()) {
      return false;
    }
    BatchInput input = new BatchInput(batchId, subscriptionId, claim.retrySchedule(), 1);
    BatchDeliveryWorkflow batch =
        Workflow.newChildWorkflowStub(BatchDeliveryWorkflow.class, BatchWorkflows.childOptions(input));
    Async.procedure(batch::send, input);
    // Started, not finished: the batch retries on its own while the next one is gathered.
    Workflow.getWorkflowExecution(batch).get();
    Workflow.setCurrentDetails("sent batch " + batchId + " of " + claim.events() + " deliveries");
    return true;
  }

  @Override
  public void wake() {
    woken = true;
  }
}
