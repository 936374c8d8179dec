package dev.herald.worker.metrics;

import dev.herald.core.delivery.DeliveryDao;
import dev.herald.model.DeliveryStatus;
import io.dropwizard.lifecycle.Managed;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauge {@code herald_deliveries_waiting{status}}: deliveries pending, retrying and held, as
 * counted every {@code refresh} by one query on partial indexes, not on each scrape (several
 * Prometheus servers scraping often cost PostgreSQL nothing more). Every worker reports the same
 * whole-system count: aggregate it with {@code max}, not {@code sum}. Before the first count, and
 * while PostgreSQL cannot be reached, the gauges keep their last value.
 */
public final class BacklogGauges implements Managed {

  private static final Logger log = LoggerFactory.getLogger(BacklogGauges.class);
  private static final List<DeliveryStatus> WAITING =
      List.of(DeliveryStatus.PENDING, DeliveryStatus.RETRYING, DeliveryStatus.HELD);

  private final DeliveryDao deliveries;
  private final Duration refresh;
  private final Map<DeliveryStatus, AtomicLong> counts = new EnumMap<>(DeliveryStatus.class);
  private ScheduledExecutorService executor;

  public BacklogGauges(DeliveryDao deliveries, MeterRegistry registry, Duration refresh) {
    this.deliveries = deliveries;
    this.refresh = refresh;
    for (DeliveryStatus status : WAITING) {
      AtomicLong count = new AtomicLong();
      counts.put(status, count);
      Gauge.builder("herald.deliveries.waiting", count, AtomicLong::get)
          .description("Deliveries that wait, by status, as last counted")
          .tag("status", status.wireName())
          .register(registry);
    }
  }

  /** Counts once now. */
  public void refresh() {
    deliveries.countWaiting().forEach((status, n) -> counts.get(status).set(n));
  }

  @Override
  public void start() {
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "herald-backlog-gauges");
              t.setDaemon(true);
              return t;
            });
    executor.scheduleWithFixedDelay(this::refreshQuietly, 0, refresh.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      // An outage is logged by the sweeper and the health checks; the gauges wait for the next.
      log.debug("could not count waiting deliveries: {}", e.toString());
    }
  }

  @Override
  public void stop() {
    executor.shutdownNow();
  }
}
