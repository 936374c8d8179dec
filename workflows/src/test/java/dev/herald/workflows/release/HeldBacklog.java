package dev.herald.workflows.release;

import io.temporal.testing.TestWorkflowEnvironment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;

/**
 * A fake subscription's held deliveries behind the release activity: each batch takes up to its
 * limit from a counter, and every call is remembered with the workflow clock at its arrival.
 */
final class HeldBacklog implements ReleaseActivities {

  /** One batch as the activity saw it. */
  record Seen(ReleaseBatch batch, long atMillis, ReleaseBatchResult result) {}

  private final TestWorkflowEnvironment env;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private int held;
  private boolean deliverable = true;
  private IntConsumer beforeAnswer = call -> {};

  HeldBacklog(TestWorkflowEnvironment env, int held) {
    this.env = env;
    this.held = held;
  }

  /** Runs {@code hook} with the 1-based call number after a batch is taken, before it answers. */
  synchronized HeldBacklog beforeAnswer(IntConsumer hook) {
    this.beforeAnswer = hook;
    return this;
  }

  synchronized void add(int count) {
    held += count;
  }

  synchronized void pause() {
    deliverable = false;
  }

  synchronized int held() {
    return held;
  }

  @Override
  public ReleaseBatchResult releaseBatch(ReleaseBatch batch) {
    ReleaseBatchResult result;
    IntConsumer hook;
    synchronized (this) {
      int taken = deliverable ? Math.min(batch.limit(), held) : 0;
      held -= taken;
      result = deliverable ? ReleaseBatchResult.released(taken) : ReleaseBatchResult.notDeliverable();
      hook = beforeAnswer;
    }
    seen.add(new Seen(batch, env.currentTimeMillis(), result));
    hook.accept(seen.size());
    return result;
  }

  List<Seen> seen() {
    return List.copyOf(seen);
  }

  /** Milliseconds of workflow time between batch {@code i} and {@code i + 1} (0-based). */
  long gapAfter(int i) {
    return seen.get(i + 1).atMillis() - seen.get(i).atMillis();
  }
}
