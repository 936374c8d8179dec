package dev.herald.workflows.release;

/**
 * What a release run starts with. A run that continues as new carries its totals forward.
 *
 * @param subscriptionId the subscription whose held deliveries go out again
 * @param ratePerSecond the most deliveries released per batch; batches are at least one second
 *     apart, so this is the rate
 * @param batchesPerRun how many batches one run makes before it continues as new (fewer when
 *     Temporal suggests it sooner)
 * @param releasedSoFar deliveries released by the earlier runs of this release
 * @param batchesSoFar batches made by the earlier runs of this release
 */
public record ReleaseInput(
    String subscriptionId,
    int ratePerSecond,
    int batchesPerRun,
    long releasedSoFar,
    long batchesSoFar) {

  /** Batches per run unless told otherwise: about 11 history events each, 2,200 a run. */
  public static final int DEFAULT_BATCHES_PER_RUN = 200;

  public ReleaseInput {
    if (subscriptionId == null || subscriptionId.isBlank()) {
      throw new IllegalArgumentException("subscriptionId is required");
    }
    if (ratePerSecond < 1) {
      throw new IllegalArgumentException("ratePerSecond must be at least 1");
    }
    if (batchesPerRun < 1) {
      throw new IllegalArgumentException("batchesPerRun must be at least 1");
    }
  }

  /** A fresh release of {@code subscriptionId} at {@code ratePerSecond}. */
  public static ReleaseInput of(String subscriptionId, int ratePerSecond) {
    return new ReleaseInput(subscriptionId, ratePerSecond, DEFAULT_BATCHES_PER_RUN, 0, 0);
  }

  /** The input of the next run, carrying the totals. */
  public ReleaseInput continued(long released, long batches) {
    return new ReleaseInput(subscriptionId, ratePerSecond, batchesPerRun, released, batches);
  }
}
