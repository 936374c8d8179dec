package dev.herald.workflows.recovery;

import io.temporal.testing.TestWorkflowEnvironment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;

/**
 * A fake job's failed deliveries behind the recovery activity: each batch takes up to its limit,
 * a batch that finds nothing completes the job, and every call is remembered with the workflow
 * clock at its arrival.
 */
final class FailedBacklog implements RecoveryActivities {

  /** One batch as the activity saw it. */
  record Seen(RecoveryBatch batch, long atMillis, RecoveryBatchResult result) {}

  private final TestWorkflowEnvironment env;
  private final int total;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private int left;
  private int done;
  private int failed;
  private int unreopenable;
  private IntConsumer beforeAnswer = call -> {};

  FailedBacklog(TestWorkflowEnvironment env, int total) {
    this.env = env;
    this.total = total;
    this.left = total;
  }

  /** The first {@code count} deliveries taken cannot be reopened (retried by hand meanwhile). */
  synchronized FailedBacklog unreopenable(int count) {
    this.unreopenable = count;
    return this;
  }

  /** Runs {@code hook} with the 1-based call number after a batch is taken, before it answers. */
  synchronized FailedBacklog beforeAnswer(IntConsumer hook) {
    this.beforeAnswer = hook;
    return this;
  }

  @Override
  public RecoveryBatchResult recoverBatch(RecoveryBatch batch) {
    RecoveryBatchResult result;
    IntConsumer hook;
    synchronized (this) {
      int taken = Math.min(batch.limit(), left);
      left -= taken;
      int notReopened = Math.min(taken, unreopenable);
      unreopenable -= notReopened;
      failed += notReopened;
      done += taken - notReopened;
      String status = taken == 0 ? RecoveryBatchResult.COMPLETED : RecoveryBatchResult.RUNNING;
      result = new RecoveryBatchResult(status, total, done, failed, taken - notReopened);
      hook = beforeAnswer;
    }
    seen.add(new Seen(batch, env.currentTimeMillis(), result));
    hook.accept(seen.size());
    return result;
  }

  List<Seen> seen() {
    return List.copyOf(seen);
  }

  synchronized int left() {
    return left;
  }

  /** Milliseconds of workflow time between batch {@code i} and {@code i + 1} (0-based). */
  long gapAfter(int i) {
    return seen.get(i + 1).atMillis() - seen.get(i).atMillis();
  }
}
