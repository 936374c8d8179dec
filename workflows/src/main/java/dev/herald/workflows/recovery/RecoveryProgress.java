package dev.herald.workflows.recovery;

/**
 * The answer to the {@code progress} query: the counters as of the latest batch.
 *
 * @param status {@code running}, {@code completed} or {@code failed}
 * @param total the failed deliveries in the window when the job was created
 * @param done deliveries reopened and handed to their delivery workflow
 * @param failed deliveries that could not be reopened
 * @param batches batches made so far, across every run of this recovery
 */
public record RecoveryProgress(String status, int total, int done, int failed, long batches) {

  /** Before the first batch of the first run. */
  public static RecoveryProgress starting() {
    return new RecoveryProgress(RecoveryBatchResult.RUNNING, 0, 0, 0, 0);
  }

  /** The progress once {@code result} came back from one more batch. */
  RecoveryProgress after(RecoveryBatchResult result) {
    return new RecoveryProgress(
        result.status(), result.total(), result.done(), result.failed(), batches + 1);
  }
}
