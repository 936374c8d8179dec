package dev.herald.workflows.retention;

import io.temporal.testing.TestWorkflowEnvironment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake store behind the retention activity: deliveries past the retention period, taken up to
 * a batch size a call (four attempts and half an event each), and every call remembered with the
 * workflow clock at its arrival. More can age meanwhile.
 */
final class AgedBacklog implements RetentionActivities {

  /** One batch as the activity answered it, and the workflow time it arrived at. */
  record Seen(long atMillis, RetentionBatchResult result) {}

  static final long CUTOFF_MILLIS = 1_790_000_000_000L;

  private final TestWorkflowEnvironment env;
  private final int batchSize;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private int left;

  AgedBacklog(TestWorkflowEnvironment env, int batchSize, int aged) {
    this.env = env;
    this.batchSize = batchSize;
    this.left = aged;
  }

  synchronized void age(int more) {
    left += more;
  }

  List<Seen> seen() {
    return seen;
  }

  long gapBefore(int call) {
    return seen.get(call - 1).atMillis() - seen.get(call - 2).atMillis();
  }

  @Override
  public RetentionBatchResult purgeBatch() {
    RetentionBatchResult result;
    synchronized (this) {
      int taken = Math.min(batchSize, left);
      left -= taken;
      result = new RetentionBatchResult(taken, 4 * taken, taken / 2, CUTOFF_MILLIS, 7,
          taken == batchSize);
    }
    seen.add(new Seen(env.currentTimeMillis(), result));
    return result;
  }
}
