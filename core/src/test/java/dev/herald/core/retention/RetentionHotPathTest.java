package dev.herald.core.retention;

import static dev.herald.core.retention.RetentionDaoTest.percentile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.delivery.Attempt;
import dev.herald.core.delivery.AttemptRecord;
import dev.herald.core.event.EventRequest;
import dev.herald.core.subscription.Subscription;
import dev.herald.model.DeliveryStatus;
import dev.herald.model.Outcome;
import dev.herald.testing.db.Store;
import dev.herald.testing.db.TestDatabaseExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * The hot path while retention runs: publishing and recording attempts, timed without and then
 * with batches running, and hand retries racing the batches for the very deliveries they remove.
 * The figures are printed, not asserted (the machine is shared); what is asserted is that nothing
 * failed, nothing waited forever, and every delivery ended wholly kept or wholly removed.
 */
@Timeout(600)
class RetentionHotPathTest {

  private static final int THREADS = 3;

  @RegisterExtension static final TestDatabaseExtension db = new TestDatabaseExtension();

  @Test
  void publishingAndRecordingGoOnWhileBatchesRunAndARetryEitherWinsOrFindsTheDeliveryGone()
      throws Exception {
    Store store = new Store(db.get());
    AgedStore aged = new AgedStore(store);
    aged.events("old", 8000, 40, 2, "failed", 4);
    store.execute("ANALYZE");
    Subscription live = store.subscription(false);
    List<String> oldIds = new ArrayList<>(db.jdbi().withHandle(h -> h.createQuery(
        "SELECT id FROM deliveries WHERE event_id LIKE 'old-%'").mapTo(String.class).list()));
    Collections.shuffle(oldIds, new Random(15));
    List<String> retried = oldIds.subList(0, 500);

    Timings quiet = new Timings();
    runHotPath(store, live, quiet, new AtomicBoolean(false), 100);

    Timings busy = new Timings();
    AtomicBoolean purging = new AtomicBoolean(true);
    List<Long> batchMillis = Collections.synchronizedList(new ArrayList<>());
    List<String> reopened = Collections.synchronizedList(new ArrayList<>());
    ExecutorService side = Executors.newFixedThreadPool(2);
    Future<?> purge = side.submit(() -> {
      RetentionDao retention = new RetentionDao(db.jdbi());
      Instant cutoff = Instant.now().minus(Duration.ofDays(30));
      try {
        Purged p;
        do {
          long started = System.nanoTime();
          p = retention.purgeBatch(cutoff, 1000);
          batchMillis.add((System.nanoTime() - started) / 1_000_000);
        } while (p.full());
      } finally {
        purging.set(false);
      }
      return null;
    });
    Future<?> retries = side.submit(() -> {
      for (String id : retried) {
        long started = System.nanoTime();
        store.deliveries.reopenForOneMoreAttempt(store.tenantId, id, Instant.now())
            .ifPresent(p -> reopened.add(p.deliveryId()));
        busy.retry.add((System.nanoTime() - started) / 1000);
      }
      return null;
    });
    runHotPath(store, live, busy, purging, 100);
    purge.get(5, TimeUnit.MINUTES);
    retries.get(5, TimeUnit.MINUTES);
    side.shutdown();

    System.out.printf("retention batches while the hot path ran: %d, median %d ms, max %d ms%n",
        batchMillis.size(), percentile(batchMillis, 50), percentile(batchMillis, 100));
    quiet.print("without retention");
    busy.print("while retention ran");
    System.out.printf("hand retries racing the batches: %d of %d reopened first, the rest found"
        + " removed%n", reopened.size(), retried.size());

    assertThat(quiet.failures).isEmpty();
    assertThat(busy.failures).isEmpty();
    // Wholly kept or wholly removed: a retried delivery that won keeps its four attempts and is
    // pending again; every other old delivery is gone with its attempts and requests.
    assertThat(aged.count("SELECT count(*) FROM deliveries WHERE event_id LIKE 'old-%'"))
        .isEqualTo(reopened.size());
    assertThat(aged.count("SELECT count(*) FROM deliveries WHERE event_id LIKE 'old-%'"
        + " AND status = 'pending'")).isEqualTo(reopened.size());
    assertThat(aged.rows("attempts", "delivery_id", "dlv-old-")).isEqualTo(4L * reopened.size());
    assertThat(aged.rows("delivery_requests", "delivery_id", "dlv-old-")).isEqualTo(reopened.size());
    assertThat(aged.count("SELECT count(*) FROM events e WHERE id LIKE 'old-%' AND NOT EXISTS"
        + " (SELECT 1 FROM deliveries d WHERE d.tenant_id = e.tenant_id AND d.event_id = e.id)"))
        .as("no event left without its deliveries").isZero();
    assertThat(quiet.publish.size()).isEqualTo(THREADS * 100);
    assertThat(busy.publish).hasSizeGreaterThanOrEqualTo(THREADS * 100);
  }

  /**
   * {@link #THREADS} threads each publish an event and record a failed attempt of its delivery,
   * at least {@code atLeast} times and for as long as {@code going} holds.
   */
  private static void runHotPath(
      Store store, Subscription live, Timings timings, AtomicBoolean going, int atLeast)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      running.add(pool.submit(() -> {
        for (int i = 0; i < atLeast || going.get(); i++) {
          try {
            String deliveryId = timed(timings.publish, () -> publish(store, live));
            timed(timings.record, () -> record(store, live, deliveryId));
          } catch (RuntimeException e) {
            timings.failures.add(e);
          }
        }
        return null;
      }));
    }
    for (Future<?> f : running) {
      f.get(5, TimeUnit.MINUTES);
    }
    pool.shutdown();
  }

  private static String publish(Store store, Subscription live) {
    String eventId = store.publisher
        .publish(store.tenantId, new EventRequest(null, Store.typeFor(live.id()),
            store.json.createObjectNode(), Map.of()))
        .event().id();
    return store.deliveries.listForEvent(store.tenantId, eventId).get(0).id();
  }

  private static String record(Store store, Subscription live, String deliveryId) {
    Instant now = Instant.now();
    store.deliveries.recordAttempt(new AttemptRecord(
        new Attempt(store.ids.next("att"), deliveryId, 1, now, 20, 503, "busy", null, Outcome.FAILED),
        DeliveryStatus.RETRYING, now.plusSeconds(5), live.id()));
    return deliveryId;
  }

  private static <T> T timed(ConcurrentLinkedQueue<Long> micros, java.util.function.Supplier<T> op) {
    long started = System.nanoTime();
    T result = op.get();
    micros.add((System.nanoTime() - started) / 1000);
    return result;
  }

  /** Latencies in microseconds, and whatever went wrong. */
  private static final class Timings {
    final ConcurrentLinkedQueue<Long> publish = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Long> record = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Long> retry = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

    void print(String when) {
      line(when, "publish", publish);
      line(when, "record attempt", record);
      if (!retry.isEmpty()) {
        line(when, "retry by hand", retry);
      }
    }

    private static void line(String when, String op, ConcurrentLinkedQueue<Long> micros) {
      List<Long> values = new ArrayList<>(micros);
      System.out.printf("%-20s %-15s n=%5d  p50 %6.2f ms  p99 %6.2f ms%n", when, op, values.size(),
          percentile(values, 50) / 1000.0, percentile(values, 99) / 1000.0);
    }
  }
}
