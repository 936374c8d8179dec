package dev.herald.api.health;

import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether PostgreSQL is unreachable now, and since when. An outage begins at the first request (or
 * health check) that cannot reach it, with one WARN line naming the cause; while it lasts, a probe
 * asks PostgreSQL every second, and the first answer ends the outage with one INFO line giving
 * its duration. Requests in between answer 503 without a line each.
 */
public final class DatabaseOutage implements Managed {

  /** How long a client is asked to wait before it retries, in seconds ({@code Retry-After}). */
  public static final int RETRY_AFTER_SECONDS = 5;

  static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(DatabaseOutage.class);

  /** One outage: when it began, by the wall clock and the monotonic one, and why at first. */
  public record Outage(Instant since, long startNanos, String cause) {

    public Duration duration() {
      return Duration.ofNanos(System.nanoTime() - startNanos);
    }
  }

  private final Jdbi jdbi;
  private final Clock clock;
  private final ScheduledExecutorService prober =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "postgresql-outage-probe");
            t.setDaemon(true);
            return t;
          });
  private volatile Outage current;
  private volatile String latestCause;
  private ScheduledFuture<?> probe;

  public DatabaseOutage(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** The outage under way, if any. */
  public Optional<Outage> current() {
    return Optional.ofNullable(current);
  }

  /** PostgreSQL could not be reached, for {@code cause}: begins an outage unless one is on. */
  public void unreachable(String cause) {
    latestCause = cause;
    if (current != null) {
      return;
    }
    synchronized (this) {
      if (current != null) {
        return;
      }
      current = new Outage(clock.instant().truncatedTo(ChronoUnit.SECONDS), System.nanoTime(), cause);
      log.warn("PostgreSQL is unreachable, the API answers 503 until it is back: {}", cause);
      if (!prober.isShutdown()) {
        long every = PROBE_INTERVAL.toMillis();
        probe = prober.scheduleWithFixedDelay(this::probe, every, every, TimeUnit.MILLISECONDS);
      }
    }
  }

  /** PostgreSQL answered: ends the outage under way, if any. */
  public void reachable() {
    if (current == null) {
      return;
    }
    synchronized (this) {
      Outage ended = current;
      if (ended == null) {
        return;
      }
      current = null;
      if (probe != null) {
        probe.cancel(false);
        probe = null;
      }
      log.info("PostgreSQL is reachable again after {} unreachable", seconds(ended.duration()));
    }
  }

  /** What the health check says while an outage is on, with the latest cause. */
  public String describe(Outage outage) {
    String cause = latestCause == null ? outage.cause() : latestCause;
    return "unreachable since " + outage.since() + " (" + seconds(outage.duration()) + "): " + cause;
  }

  private void probe() {
    try {
      jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
    } catch (RuntimeException e) {
      return;
    }
    reachable();
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  @Override
  public void stop() {
    prober.shutdownNow();
  }
}
