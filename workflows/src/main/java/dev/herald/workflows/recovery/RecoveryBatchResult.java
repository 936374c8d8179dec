package dev.herald.workflows.recovery;

/**
 * The job as a batch left it, read from its row.
 *
 * @param status {@code running}, {@code completed} (the batch found nothing left) or {@code
 *     failed} (the subscription is gone)
 * @param total the failed deliveries in the window when the job was created
 * @param done deliveries reopened and handed to their delivery workflow so far
 * @param failed deliveries that could not be reopened so far
 * @param reopened deliveries this batch reopened
 */
public record RecoveryBatchResult(String status, int total, int done, int failed, int reopened) {

  public static final String RUNNING = "running";
  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";

  /** Whether the job goes on after this batch. */
  public boolean running() {
    return RUNNING.equals(status);
  }
}
