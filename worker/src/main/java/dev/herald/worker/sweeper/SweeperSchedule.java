package dev.herald.worker.sweeper;

import dev.herald.api.health.DatabaseFaults;
import dev.herald.api.health.DatabaseOutage;
import dev.herald.core.metrics.HeraldMetrics;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the sweeper every interval on one daemon thread while the process lives. A pass that
 * cannot reach PostgreSQL is part of the {@link DatabaseOutage}, which logs once, not a line of
 * its own each pass.
 */
public final class SweeperSchedule implements Managed {

  private static final Logger log = LoggerFactory.getLogger(SweeperSchedule.class);
  private static final int BATCH = 200;

  private final Sweeper sweeper;
  private final Duration interval;
  private final DatabaseOutage outage;
  private final HeraldMetrics metrics;
  private ScheduledExecutorService executor;

  public SweeperSchedule(
      Sweeper sweeper, Duration interval, DatabaseOutage outage, HeraldMetrics metrics) {
    this.metrics = metrics;
    this.sweeper = sweeper;
    this.interval = interval;
    this.outage = outage;
  }

  @Override
  public void start() {
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "herald-sweeper");
              t.setDaemon(true);
              return t;
            });
    executor.scheduleWithFixedDelay(
        this::runOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void runOnce() {
    try {
      // A full pass means more are waiting: go on at once rather than after the interval.
      long started = System.nanoTime();
      int restarted = 0;
      Sweeper.Pass pass;
      do {
        pass = sweeper.sweep(BATCH);
        restarted += pass.restarted();
        metrics.swept(pass.restarted());
      } while (pass.overdue() == BATCH && pass.restarted() > 0 && !Thread.currentThread().isInterrupted());
      if (restarted > 0) {
        log.info("sweeper restarted {} deliveries in {} ms", restarted,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      }
    } catch (RuntimeException e) {
      // The next pass tries again; a database or Temporal outage must not stop the schedule.
      String unreachable = DatabaseFaults.unreachable(e);
      if (unreachable != null) {
        outage.unreachable(unreachable);
        log.debug("sweep skipped, PostgreSQL is unreachable: {}", unreachable);
        return;
      }
      log.warn("sweep failed: {}", e.toString());
    }
  }

  @Override
  public void stop() {
    executor.shutdownNow();
  }
}
