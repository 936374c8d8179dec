package dev.herald.workflows.release;

/**
 * The answer to the {@code progress} query.
 *
 * @param state {@code releasing}, {@code done} (a batch found nothing left) or {@code stopped}
 *     (the subscription is no longer deliverable; the rest stay held)
 * @param released deliveries released so far, across every run of this release
 * @param batches batches made so far, across every run
 * @param lastBatch deliveries released by the latest batch
 */
public record ReleaseProgress(String state, long released, long batches, int lastBatch) {

  public static final String RELEASING = "releasing";
  public static final String DONE = "done";
  public static final String STOPPED = "stopped";
}
