package dev.herald.workflows.health;

/**
 * The counts of failed attempts in a row that matter to a subscription's health, and so the only
 * failures its workflow is told of: half the threshold (the owner is warned), the threshold (the
 * disable is timed), and every power of two from 4 (so that a threshold lowered during a streak
 * is seen within twice the count). A storm of 1,000 failures a second for three minutes is told
 * in about 20 signals, not 180,000. A success is told when it ends a streak the workflow may know.
 */
public final class HealthThresholds {

  private HealthThresholds() {}

  /** The count at which the owner is warned: half the threshold, rounded up. */
  public static int warnAt(int disableAfterFailures) {
    return (disableAfterFailures + 1) / 2;
  }

  /** Whether a failure that made the count {@code failuresInARow} is told to the workflow. */
  public static boolean tellFailure(int failuresInARow, int disableAfterFailures, boolean gone) {
    if (gone) {
      return true;
    }
    if (disableAfterFailures > 0
        && (failuresInARow == warnAt(disableAfterFailures) || failuresInARow == disableAfterFailures)) {
      return true;
    }
    return failuresInARow >= 4 && Integer.bitCount(failuresInARow) == 1;
  }

  /** Whether a success after {@code failuresBefore} failures in a row is told to the workflow. */
  public static boolean tellSuccess(int failuresBefore, int disableAfterFailures) {
    int firstTold = disableAfterFailures > 0 ? Math.min(warnAt(disableAfterFailures), 4) : 4;
    return failuresBefore >= Math.max(1, firstTold);
  }
}
