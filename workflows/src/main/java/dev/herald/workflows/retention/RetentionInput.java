package dev.herald.workflows.retention;

/**
 * How the retention loop is paced. How long items are kept and how many a batch takes are the
 * worker's settings, read by the activity, so that a changed retention period takes effect as the
 * workers restart.
 *
 * @param pauseMillis the pause after a full batch before the next one (0: none)
 * @param idleMillis the durable timer after a batch that found less than a full batch, before the
 *     next look
 * @param batchesPerRun how many batches one run makes before it continues as new (fewer when
 *     Temporal suggests it sooner)
 * @param progress what the earlier runs removed
 */
public record RetentionInput(
    long pauseMillis, long idleMillis, int batchesPerRun, RetentionProgress progress) {

  /** Batches per run unless told otherwise: about 11 history events each, 2,200 a run. */
  public static final int DEFAULT_BATCHES_PER_RUN = 200;

  public RetentionInput {
    if (pauseMillis < 0) {
      throw new IllegalArgumentException("pauseMillis must not be negative");
    }
    if (idleMillis < 1) {
      throw new IllegalArgumentException("idleMillis must be at least 1");
    }
    if (batchesPerRun < 1) {
      throw new IllegalArgumentException("batchesPerRun must be at least 1");
    }
    if (progress == null) {
      progress = RetentionProgress.starting();
    }
  }

  /** At most {@code batchesPerSecond} full batches a second, a look every {@code idleMillis}. */
  public static RetentionInput of(int batchesPerSecond, long idleMillis) {
    if (batchesPerSecond < 1) {
      throw new IllegalArgumentException("batchesPerSecond must be at least 1");
    }
    return new RetentionInput(1000 / batchesPerSecond, idleMillis, DEFAULT_BATCHES_PER_RUN,
        RetentionProgress.starting());
  }

  /** The input of the next run, carrying the progress. */
  public RetentionInput continued(RetentionProgress progress) {
    return new RetentionInput(pauseMillis, idleMillis, batchesPerRun, progress);
  }
}
