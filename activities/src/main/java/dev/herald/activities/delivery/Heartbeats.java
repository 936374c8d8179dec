package dev.herald.activities.delivery;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Beats for the attempt activity once a second while it runs, from a thread of its own (the
 * activity's thread is blocked in the exchange): a worker that dies mid-attempt stops beating, and
 * Temporal gives the attempt to another worker after the heartbeat timeout (5 s) instead of the
 * whole start-to-close timeout. Outside a Temporal activity (a unit test) or in a local activity
 * it does nothing.
 */
public final class Heartbeats {

  private static final ScheduledExecutorService BEATS =
      Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "herald-attempt-heartbeats");
        thread.setDaemon(true);
        return thread;
      });

  private Heartbeats() {}

  /** Beating, until closed. */
  public interface Beating extends AutoCloseable {
    @Override
    void close();
  }

  /** Beats until the returned handle is closed. */
  public static Beating start() {
    ActivityExecutionContext context;
    try {
      context = Activity.getExecutionContext();
    } catch (IllegalStateException | UnsupportedOperationException e) {
      return () -> {};
    }
    if (context.getInfo().isLocal()) {
      // A local activity has no heartbeat: its workflow task's timeout covers a lost worker.
      return () -> {};
    }
    ScheduledFuture<?> beats =
        BEATS.scheduleAtFixedRate(
            () -> {
              try {
                context.heartbeat(null);
              } catch (RuntimeException e) {
                // Cancelled or timed out: the attempt still finishes and records itself.
              }
            },
            1, 1, TimeUnit.SECONDS);
    return () -> beats.cancel(false);
  }
}
