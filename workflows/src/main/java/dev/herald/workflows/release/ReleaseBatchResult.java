package dev.herald.workflows.release;

/**
 * What one batch came to.
 *
 * @param deliverable false when the subscription is paused, disabled or deleted: nothing was
 *     released and the release ends, the rest staying held for the next one
 * @param released how many held deliveries were moved to pending (their workflows started, or
 *     left to the sweeper when a start failed)
 */
public record ReleaseBatchResult(boolean deliverable, int released) {

  /** The subscription may not receive deliveries now. */
  public static ReleaseBatchResult notDeliverable() {
    return new ReleaseBatchResult(false, 0);
  }

  /** {@code released} deliveries went out again. */
  public static ReleaseBatchResult released(int released) {
    return new ReleaseBatchResult(true, released);
  }
}
