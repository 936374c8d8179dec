package dev.herald.workflows.temporal;

import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The paced-batch loop of the release and recovery workflows: a batch (one activity), then a
 * one-second durable timer, until a batch says there is no more; after {@code batchesPerRun}
 * batches, or when Temporal suggests it, the workflow continues as new. The pause is what turns a
 * batch size into a rate, and it comes before continuing, so that the new run's first batch keeps
 * to the rate. Workflow code only.
 */
public final class PacedBatches {

  /** The pause between batches. */
  public static final Duration PACE = Duration.ofSeconds(1);

  private PacedBatches() {}

  /**
   * Runs {@code batch} until it returns false, pausing {@link #PACE} after each one that returns
   * true; {@code continueAsNew} (which does not return) ends a run that has made its share.
   */
  public static void run(int batchesPerRun, BooleanSupplier batch, Runnable continueAsNew) {
    TimerOptions pace = TimerOptions.newBuilder().setSummary("pace between batches").build();
    for (int batchesThisRun = 1; batch.getAsBoolean(); batchesThisRun++) {
      Workflow.newTimer(PACE, pace).get();
      if (batchesThisRun >= batchesPerRun || Workflow.getInfo().isContinueAsNewSuggested()) {
        continueAsNew.run();
      }
    }
  }
}
