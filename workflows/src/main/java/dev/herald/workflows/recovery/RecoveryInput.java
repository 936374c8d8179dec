package dev.herald.workflows.recovery;

/**
 * What a recovery run starts with. A run that continues as new carries the progress forward; the
 * job's row stays the record of it.
 *
 * @param jobId the job ({@code job_…})
 * @param ratePerSecond the most deliveries reopened per batch; batches are at least one second
 *     apart, so this is the rate
 * @param batchesPerRun how many batches one run makes before it continues as new (fewer when
 *     Temporal suggests it sooner)
 * @param progress where the earlier runs left it
 */
public record RecoveryInput(
    String jobId, int ratePerSecond, int batchesPerRun, RecoveryProgress progress) {

  /** Batches per run unless told otherwise: about 11 history events each, 2,200 a run. */
  public static final int DEFAULT_BATCHES_PER_RUN = 200;

  public RecoveryInput {
    if (jobId == null || jobId.isBlank()) {
      throw new IllegalArgumentException("jobId is required");
    }
    if (ratePerSecond < 1) {
      throw new IllegalArgumentException("ratePerSecond must be at least 1");
    }
    if (batchesPerRun < 1) {
      throw new IllegalArgumentException("batchesPerRun must be at least 1");
    }
    if (progress == null) {
      progress = RecoveryProgress.starting();
    }
  }

  /** A fresh recovery of job {@code jobId} at {@code ratePerSecond}. */
  public static RecoveryInput of(String jobId, int ratePerSecond) {
    return new RecoveryInput(jobId, ratePerSecond, DEFAULT_BATCHES_PER_RUN, RecoveryProgress.starting());
  }

  /** The input of the next run, carrying the progress. */
  public RecoveryInput continued(RecoveryProgress progress) {
    return new RecoveryInput(jobId, ratePerSecond, batchesPerRun, progress);
  }
}
