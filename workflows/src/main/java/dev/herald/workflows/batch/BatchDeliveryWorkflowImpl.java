package dev.herald.workflows.batch;

import dev.herald.workflows.delivery.AttemptResult;
import dev.herald.workflows.schedule.RetrySchedule;
import dev.herald.workflows.temporal.InfrastructureRetry;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Random;

/**
 * A batch's attempts on its subscription's schedule, with durable timers between them. Pure
 * orchestration: the attempt activity builds, signs, sends and records.
 */
public class BatchDeliveryWorkflowImpl implements BatchDeliveryWorkflow {

  /** A held batch looks again on its own this often, in case the release's word was lost. */
  static final Duration HELD_LOOK = Duration.ofMinutes(5);

  private final BatchActivities activities =
      Workflow.newActivityStub(
          BatchActivities.class,
          ActivityOptions.newBuilder()
              // As a delivery's attempt: the 30 s HTTP ceiling and the recording around it.
              .setStartToCloseTimeout(Duration.ofSeconds(45))
              .setHeartbeatTimeout(Duration.ofSeconds(5))
              .setRetryOptions(InfrastructureRetry.OPTIONS)
              .build());

  private boolean released;
  private boolean retryNowRequested;
  private boolean slotFree;

  @Override
  public void send(BatchInput input) {
    Random random = Workflow.newRandom();
    int max = input.maxAttempts();
    int n = input.firstAttempt();
    boolean reserved = false;
    while (n <= max) {
      released = false;
      slotFree = false;
      // A retryNow that arrived while no timer ran is answered by this very attempt.
      retryNowRequested = false;
      Integer planned =
          n < max ? RetrySchedule.jitteredDelay(input.retrySchedule(), n, random) : null;
      AttemptResult result =
          activities.attempt(new BatchAttemptRequest(input.batchId(), n, planned, reserved));
      reserved = false;
      switch (result.outcome()) {
        case SUCCEEDED, CANCELLED -> {
          Workflow.setCurrentDetails("attempt " + n + ": " + result.summary());
          return;
        }
        case HELD -> {
          Workflow.setCurrentDetails("held: the subscription is paused or disabled");
          Workflow.await(HELD_LOOK, () -> released);
          continueAsNewIfSuggested(input, n);
        }
        case WAIT -> {
          // The endpoint's limits (maxConcurrency, rateLimit, a Retry-After): the same attempt
          // number asks again when the wait is over, or when a freed slot wakes it.
          Workflow.setCurrentDetails("attempt " + n + " waits: " + result.summary());
          Workflow.await(Duration.ofMillis(Math.max(1, result.waitMillis())),
              () -> slotFree || released);
          reserved = result.reserved();
          continueAsNewIfSuggested(input, n);
        }
        case FAILED, GONE, UNSENDABLE -> {
          Integer delay = n < max ? result.nextDelaySeconds() : null;
          if (delay == null) {
            Workflow.setCurrentDetails(
                "failed: " + n + " attempts of " + max + "; last: " + result.summary());
            throw ApplicationFailure.newNonRetryableFailure(
                n + " attempts failed; last: " + result.summary(), EXHAUSTED);
          }
          Workflow.setCurrentDetails("attempt " + n + " of " + max + " failed: "
              + result.summary() + "; next in " + delay + " s");
          // The same timer as a plain sleep, cancelled when retryNow comes first.
          Workflow.await(Duration.ofSeconds(delay), () -> retryNowRequested);
          n++;
        }
      }
    }
  }

  private static void continueAsNewIfSuggested(BatchInput input, int n) {
    if (Workflow.getInfo().isContinueAsNewSuggested()) {
      Workflow.continueAsNew(new BatchInput(input.batchId(), input.subscriptionId(),
          input.retrySchedule(), n));
    }
  }

  @Override
  public void slotFree() {
    slotFree = true;
  }

  @Override
  public void released() {
    released = true;
  }

  @Override
  public void retryNow() {
    retryNowRequested = true;
  }
}
