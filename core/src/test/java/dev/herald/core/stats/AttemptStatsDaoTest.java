package dev.herald.core.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.delivery.Attempt;
import dev.herald.core.delivery.AttemptRecord;
import dev.herald.core.retention.RetentionDao;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.tenant.TenantDao;
import dev.herald.model.DeliveryStatus;
import dev.herald.model.Outcome;
import dev.herald.testing.db.Store;
import dev.herald.testing.db.TestDatabaseExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** Statistics written with each recorded attempt and read per window, against real PostgreSQL. */
@Timeout(120)
class AttemptStatsDaoTest {

  /** The start of a bucket; NOW is two minutes into it. */
  private static final Instant BUCKET = Instant.parse("2026-03-02T10:05:00Z");
  private static final Instant NOW = BUCKET.plusSeconds(120);

  @RegisterExtension static final TestDatabaseExtension db = new TestDatabaseExtension();
  private Store store;
  private AttemptStatsDao stats;
  private Subscription s;

  @BeforeEach
  void setUp() {
    store = new Store(db.get());
    stats = new AttemptStatsDao(db.jdbi());
    s = store.subscription(false);
  }

  @Test
  void recordedAttemptsFillTheBucketOfTheirStartSpreadOverShards() {
    List<String> d = store.publish(s, 6);
    record(d.get(0), 1, BUCKET, 40, 200, null, Outcome.SUCCEEDED);
    record(d.get(1), 1, BUCKET.plusSeconds(299), 60, 200, null, Outcome.SUCCEEDED);
    record(d.get(2), 1, BUCKET.minusSeconds(1), 70, 503, null, Outcome.FAILED);
    record(d.get(3), 1, BUCKET.plusSeconds(30), 80, 200, null, Outcome.SUCCEEDED);
    record(d.get(4), 1, BUCKET.plusSeconds(60), 90, 200, null, Outcome.SUCCEEDED);
    record(d.get(5), 1, BUCKET.plusSeconds(90), 100, 200, null, Outcome.SUCCEEDED);

    List<Map<String, Object>> rows = db.jdbi().withHandle(h -> h.createQuery(
            "SELECT bucket_start, sum(attempts) AS attempts, count(DISTINCT shard) AS shards,"
                + " max(shard) AS top FROM attempt_stats WHERE subscription_id = :s"
                + " GROUP BY bucket_start ORDER BY bucket_start")
        .bind("s", s.id())
        .mapToMap()
        .list());
    assertThat(rows).hasSize(2);
    assertThat(((java.sql.Timestamp) rows.get(0).get("bucket_start")).toInstant())
        .isEqualTo(BUCKET.minusSeconds(300));
    assertThat(((Number) rows.get(0).get("attempts")).longValue()).isEqualTo(1);
    assertThat(((java.sql.Timestamp) rows.get(1).get("bucket_start")).toInstant()).isEqualTo(BUCKET);
    assertThat(((Number) rows.get(1).get("attempts")).longValue()).isEqualTo(5);
    assertThat(((Number) rows.get(1).get("shards")).intValue())
        .as("five attempt ids over four shards").isGreaterThan(1);
    assertThat(((Number) rows.get(1).get("top")).intValue()).isLessThan(AttemptStatsDao.SHARDS);

    AttemptStats read = stats.read(store.tenantId, s.id(), StatsWindow.HOUR, NOW).orElseThrow();
    assertThat(read.attempts()).isEqualTo(6);
    assertThat(read.succeeded()).isEqualTo(5);
    assertThat(read.failed()).isEqualTo(1);
    assertThat(read.successRate()).isEqualTo(5 / 6.0);
    assertThat(read.latency().count()).isEqualTo(6);
    assertThat(read.latency().meanMs()).isEqualTo(73);
    assertThat(read.latency().largestMs()).isEqualTo(100);
    assertThat(read.errors()).containsExactly(Map.entry("http_503", 1L));
    assertThat(read.from()).isEqualTo(BUCKET.minusSeconds(55 * 60));
    assertThat(read.to()).isEqualTo(NOW);
  }

  @Test
  void anAttemptRecordedAgainIsCountedOnce() {
    String d = store.publish(s, 1).get(0);
    record(d, 1, BUCKET, 30, 500, null, Outcome.FAILED);
    record(d, 1, BUCKET, 30, 500, null, Outcome.FAILED);
    record(d, 1, BUCKET.plusSeconds(10), 5, 200, null, Outcome.SUCCEEDED);

    AttemptStats read = stats.read(store.tenantId, s.id(), StatsWindow.HOUR, NOW).orElseThrow();
    assertThat(read.attempts()).isEqualTo(1);
    assertThat(read.failed()).isEqualTo(1);
    assertThat(read.errors()).containsExactly(Map.entry("http_500", 1L));
    assertThat(read.latency().count()).isEqualTo(1);
  }

  @Test
  void percentilesLandInTheBucketsThatHoldThem() {
    // 100 durations: 1 to 50 ms, 200 to 243 ms, five from 3000 to 3400 ms and one of 60 s.
    List<Long> durations = new ArrayList<>();
    for (long i = 1; i <= 50; i++) {
      durations.add(i);
    }
    for (long i = 200; i < 244; i++) {
      durations.add(i);
    }
    durations.addAll(List.of(3000L, 3100L, 3200L, 3300L, 3400L, 60_000L));
    // The attempts of one delivery: only their number needs to differ.
    String d = store.publish(s, 1).get(0);
    for (int i = 0; i < durations.size(); i++) {
      record(d, i + 1, BUCKET, durations.get(i), 200, null, Outcome.SUCCEEDED);
    }

    LatencyHistogram latency =
        stats.read(store.tenantId, s.id(), StatsWindow.HOUR, NOW).orElseThrow().latency();
    // True values: p50 50 ms in (25, 50], p95 3000 ms and p99 3400 ms in (2500, 5000].
    assertThat(latency.count()).isEqualTo(100);
    assertThat(latency.percentileMs(0.50)).isBetween(26L, 50L);
    assertThat(latency.percentileMs(0.95)).isBetween(2501L, 5000L);
    assertThat(latency.percentileMs(0.99)).isBetween(2501L, 5000L);
    assertThat(latency.percentileMs(1.0)).as("the open bucket reaches the largest").isEqualTo(60_000L);
    assertThat(latency.largestMs()).isEqualTo(60_000L);
  }

  @Test
  void aWindowCountsOnlyItsBuckets() {
    List<String> d = store.publish(s, 4);
    record(d.get(0), 1, BUCKET, 10, 200, null, Outcome.SUCCEEDED);
    // The first bucket of "1h" read at NOW starts 55 minutes before the current one.
    record(d.get(1), 1, BUCKET.minusSeconds(55 * 60), 10, 200, null, Outcome.SUCCEEDED);
    record(d.get(2), 1, BUCKET.minusSeconds(55 * 60 + 1), 10, 200, null, Outcome.SUCCEEDED);
    record(d.get(3), 1, BUCKET.minusSeconds(6 * 24 * 3600), 10, 200, null, Outcome.SUCCEEDED);

    assertThat(stats.read(store.tenantId, s.id(), StatsWindow.HOUR, NOW).orElseThrow().attempts())
        .isEqualTo(2);
    assertThat(stats.read(store.tenantId, s.id(), StatsWindow.DAY, NOW).orElseThrow().attempts())
        .isEqualTo(3);
    assertThat(stats.read(store.tenantId, s.id(), StatsWindow.WEEK, NOW).orElseThrow().attempts())
        .isEqualTo(4);
    AttemptStats later =
        stats.read(store.tenantId, s.id(), StatsWindow.HOUR, NOW.plusSeconds(3 * 3600)).orElseThrow();
    assertThat(later.attempts()).isZero();
    assertThat(later.successRate()).isNull();
    assertThat(later.latency().percentileMs(0.5)).isNull();
    assertThat(later.errors()).isEmpty();
  }

  @Test
  void failuresAreCountedByTheirErrorCodeElseTheirStatus() {
    List<String> d = store.publish(s, 7);
    record(d.get(0), 1, BUCKET, 5000, null, "timeout", Outcome.FAILED);
    record(d.get(1), 1, BUCKET, 5000, null, "timeout", Outcome.FAILED);
    record(d.get(2), 1, BUCKET, 3, null, "connection_refused", Outcome.FAILED);
    record(d.get(3), 1, BUCKET, 20, 302, "redirect", Outcome.FAILED);
    record(d.get(4), 1, BUCKET, 20, 503, null, Outcome.FAILED);
    record(d.get(5), 1, BUCKET, 20, 200, null, Outcome.SUCCEEDED);
    // A template that failed: nothing was sent, so no latency, but the attempt failed.
    Attempt unsent =
        new Attempt(store.ids.next("att"), d.get(6), 1, BUCKET, 2, null, "bad template", "template",
            Outcome.FAILED);
    store.deliveries.recordAttempt(
        new AttemptRecord(unsent, DeliveryStatus.FAILED, null, s.id(), false));

    AttemptStats read = stats.read(store.tenantId, s.id(), StatsWindow.HOUR, NOW).orElseThrow();
    assertThat(read.attempts()).isEqualTo(7);
    assertThat(read.failed()).isEqualTo(6);
    assertThat(read.errors()).containsExactly(
        Map.entry("connection_refused", 1L), Map.entry("http_503", 1L), Map.entry("redirect", 1L),
        Map.entry("template", 1L), Map.entry("timeout", 2L));
    assertThat(read.latency().count()).as("the sent ones").isEqualTo(6);
  }

  @Test
  void anotherTenantsOrAnUnknownSubscriptionHasNoStatistics() {
    String other = new TenantDao(db.jdbi(), store.ids, store.clock).create("other", null).id();

    assertThat(stats.read(other, s.id(), StatsWindow.DAY, NOW)).isEmpty();
    assertThat(stats.read(store.tenantId, "sub_unknown", StatsWindow.DAY, NOW)).isEmpty();
    assertThat(stats.read(store.tenantId, s.id(), StatsWindow.DAY, NOW).orElseThrow().attempts())
        .isZero();
  }

  @Test
  void concurrentAttemptsToOneSubscriptionAreCountedExactly() throws Exception {
    int threads = 8;
    int each = 200;
    List<String> d = store.publish(s, threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String delivery = d.get(t);
        done.add(pool.submit(() -> {
          start.await();
          for (int n = 1; n <= each; n++) {
            // Every third fails, so that the subscription's row is locked too.
            boolean ok = n % 3 != 0;
            record(delivery, n, BUCKET.plusMillis(n), n, ok ? 200 : 503, null,
                Outcome.of(ok));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    AttemptStats read = stats.read(store.tenantId, s.id(), StatsWindow.HOUR, NOW).orElseThrow();
    long failed = threads * (each / 3);
    assertThat(read.attempts()).isEqualTo(threads * each);
    assertThat(read.failed()).isEqualTo(failed);
    assertThat(read.succeeded()).isEqualTo(threads * each - failed);
    assertThat(read.errors()).containsExactly(Map.entry("http_503", failed));
    assertThat(read.latency().count()).isEqualTo(threads * each);
    assertThat(read.latency().sumMs()).isEqualTo(threads * (each * (each + 1L) / 2));
  }

  @Test
  void retentionRemovesOnlyBucketsNoWindowCountsAnyMore() {
    List<String> d = store.publish(s, 3);
    Instant oldest = StatsWindow.oldestKept(NOW);
    record(d.get(0), 1, oldest, 10, 200, null, Outcome.SUCCEEDED);
    record(d.get(1), 1, oldest.minusSeconds(1), 10, 503, null, Outcome.FAILED);
    record(d.get(2), 1, oldest.minusSeconds(3600), 10, null, "timeout", Outcome.FAILED);
    RetentionDao retention = new RetentionDao(db.jdbi());

    // Two old counts rows (one per bucket) and their two error rows, one of each per call.
    assertThat(retention.purgeStatistics(oldest, 1)).isEqualTo(2);
    assertThat(retention.purgeStatistics(oldest, 1)).isEqualTo(2);
    assertThat(retention.purgeStatistics(oldest, 1)).isZero();
    AttemptStats week = stats.read(store.tenantId, s.id(), StatsWindow.WEEK, NOW).orElseThrow();
    assertThat(week.attempts()).as("the oldest bucket a window counts stays").isEqualTo(1);
    assertThat(week.errors()).isEmpty();
  }

  private void record(
      String deliveryId, int number, Instant startedAt, long durationMs, Integer statusCode,
      String error, Outcome outcome) {
    Attempt a = new Attempt(store.ids.next("att"), deliveryId, number, startedAt, durationMs,
        statusCode, null, error, outcome);
    DeliveryStatus status =
        outcome.succeeded() ? DeliveryStatus.SUCCEEDED : DeliveryStatus.RETRYING;
    store.deliveries.recordAttempt(new AttemptRecord(a, status,
        status == DeliveryStatus.RETRYING ? startedAt.plusSeconds(60) : null, s.id()));
  }
}
