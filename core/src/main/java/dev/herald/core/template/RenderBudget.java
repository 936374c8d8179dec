package dev.herald.core.template;

import com.dashjoin.jsonata.Jsonata.EntryCallback;
import com.dashjoin.jsonata.Jsonata.ExitCallback;
import com.dashjoin.jsonata.Jsonata;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.Map;

/**
 * Watches one rendering from inside the evaluator: it is called as every step of the expression
 * starts and ends, so a loop, a recursion or a step that builds something huge is stopped within
 * a few steps of crossing a limit. Single-use, on the rendering thread.
 */
final class RenderBudget {

  /** Thrown from inside the evaluator when a limit is crossed. */
  static final class Exceeded extends RuntimeException {
    Exceeded(String message) {
      super(message, null, false, false);
    }
  }

  private static final com.sun.management.ThreadMXBean THREADS = threads();
  // Reading the clock and the allocation counter costs more than a step; read them every few.
  private static final int CHECK_EVERY = 16;

  private final TemplateLimits limits;
  private final long deadline;
  private final long allocationCeiling;
  private int depth;
  private int steps;

  private RenderBudget(TemplateLimits limits) {
    this.limits = limits;
    this.deadline = System.nanoTime() + limits.time().toNanos();
    long allocated = allocatedByThisThread();
    long room = limits.allocatedBytes();
    this.allocationCeiling =
        allocated < 0 || room > Long.MAX_VALUE - allocated ? Long.MAX_VALUE : allocated + room;
  }

  /**
   * Where a compiled expression finds the budget of the rendering it runs: the callbacks are
   * installed once in the expression's environment, and each rendering puts its budget here.
   */
  static final class Slot {
    private RenderBudget current;

    /** Starts watching a rendering of this slot's expression. */
    RenderBudget start(TemplateLimits limits) {
      current = new RenderBudget(limits);
      return current;
    }

    void end() {
      current = null;
    }
  }

  /**
   * Installs the entry and exit callbacks once in {@code expression}'s own environment, rather
   * than in a frame of bindings made for each rendering.
   */
  static Slot install(Jsonata expression) {
    Slot slot = new Slot();
    EntryCallback entry =
        (expr, input, environment) -> {
          if (slot.current != null) {
            slot.current.entered();
          }
        };
    ExitCallback exit =
        (expr, input, environment, result) -> {
          if (slot.current != null) {
            slot.current.left(result);
          }
        };
    expression.assign("__evaluate_entry", entry);
    expression.assign("__evaluate_exit", exit);
    return slot;
  }

  private void entered() {
    if (++depth > limits.maxDepth()) {
      throw new Exceeded("the template nests deeper than " + limits.maxDepth() + " steps");
    }
    if (++steps % CHECK_EVERY == 0) {
      checkTimeAndMemory();
    }
  }

  private void left(Object result) {
    depth--;
    if (result instanceof String s && s.length() > limits.maxStringChars()) {
      throw new Exceeded("the template made a string longer than " + limits.maxStringChars() + " characters");
    }
    if (result instanceof Collection<?> c && c.size() > limits.maxItems()) {
      throw new Exceeded("the template made an array of more than " + limits.maxItems() + " items");
    }
    if (result instanceof Map<?, ?> m && m.size() > limits.maxItems()) {
      throw new Exceeded("the template made an object of more than " + limits.maxItems() + " fields");
    }
  }

  /** Checked as the rendering ends, too: its last steps may not have reached a check. */
  void checkTimeAndMemory() {
    if (System.nanoTime() - deadline > 0) {
      throw new Exceeded("the template ran longer than " + limits.time().toMillis() + " ms");
    }
    if (allocatedByThisThread() > allocationCeiling) {
      throw new Exceeded(
          "the template allocated more than " + (limits.allocatedBytes() >> 20) + " MiB");
    }
  }

  private static long allocatedByThisThread() {
    return THREADS == null ? -1 : THREADS.getCurrentThreadAllocatedBytes();
  }

  private static com.sun.management.ThreadMXBean threads() {
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
        && t.isThreadAllocatedMemorySupported()) {
      t.setThreadAllocatedMemoryEnabled(true);
      return t;
    }
    return null;
  }
}
