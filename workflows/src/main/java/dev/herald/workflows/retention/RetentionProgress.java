package dev.herald.workflows.retention;

/**
 * The answer to the {@code progress} query: totals since this workflow was started (carried
 * across its continue-as-new runs), and the latest batch's cutoff.
 *
 * @param batches batches made
 * @param deliveries finished deliveries removed
 * @param attempts attempts removed
 * @param events events removed
 * @param cutoffMillis the latest batch's cutoff in epoch milliseconds, 0 before the first
 */
public record RetentionProgress(
    long batches, long deliveries, long attempts, long events, long cutoffMillis) {

  /** Before the first batch. */
  public static RetentionProgress starting() {
    return new RetentionProgress(0, 0, 0, 0, 0);
  }

  /** The progress once {@code result} came back from one more batch. */
  RetentionProgress after(RetentionBatchResult result) {
    return new RetentionProgress(batches + 1, deliveries + result.deliveries(),
        attempts + result.attempts(), events + result.events(), result.cutoffMillis());
  }
}
