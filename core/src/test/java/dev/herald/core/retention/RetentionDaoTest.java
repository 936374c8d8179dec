package dev.herald.core.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.db.Store;
import dev.herald.testing.db.TestDatabaseExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * Retention against real PostgreSQL at a scale that takes many batches: 100,000 attempts of old
 * finished deliveries beside unfinished, recent and recovering ones.
 */
@Timeout(600)
class RetentionDaoTest {

  private static final int BATCH = 1000;

  @RegisterExtension static final TestDatabaseExtension db = new TestDatabaseExtension();

  @Test
  void batchesRemoveExactlyTheOldFinishedDeliveriesTheirRowsAndTheirEventsAndNothingElse() {
    Store store = new Store(db.get());
    AgedStore aged = new AgedStore(store);
    long seeding = System.nanoTime();
    // 25,000 finished deliveries 40 days old, two per event, four attempts each: 100,000 attempts.
    aged.events("old-ok", 5000, 40, 2, "succeeded", 4);
    aged.events("old-failed", 5000, 40, 2, "failed", 4);
    aged.events("old-cancelled", 2500, 40, 2, "cancelled", 4);
    // Old events with one finished delivery and one that is not: the event stays.
    aged.events("mixed", 300, 40, 2, "succeeded", 2);
    store.execute("UPDATE deliveries SET status = (ARRAY['pending','retrying','held'])[1 + ("
        + "split_part(event_id, '-', 2)::int % 3)], completed_at = NULL"
        + " WHERE event_id LIKE 'mixed-%' AND id LIKE '%-2'");
    // Unfinished deliveries far older than the cutoff.
    aged.events("pending", 200, 60, 1, "pending", 0);
    aged.events("retrying", 200, 60, 1, "retrying", 3);
    aged.events("held", 200, 60, 1, "held", 1);
    // Finished within the retention period.
    aged.events("recent", 1000, 1, 1, "succeeded", 3);
    // Events that matched no subscription, old and recent.
    aged.events("quiet-old", 2000, 40, 0, "none", 0);
    aged.events("quiet-new", 100, 1, 0, "none", 0);
    // Old failed deliveries still waiting in a running recovery, and some of a completed one.
    aged.events("recovering", 50, 40, 1, "failed", 2);
    aged.recoveryOf("job-running", "recovering", "running");
    aged.events("recovered", 50, 40, 1, "failed", 2);
    aged.recoveryOf("job-done", "recovered", "completed");
    store.execute("ANALYZE");
    System.out.printf("seeded %d deliveries, %d attempts, %d events in %d ms%n",
        aged.count("SELECT count(*) FROM deliveries"), aged.count("SELECT count(*) FROM attempts"),
        aged.count("SELECT count(*) FROM events"), (System.nanoTime() - seeding) / 1_000_000);
    long highestRemoved = aged.count("SELECT max(seq) FROM events WHERE id LIKE 'old-%'"
        + " OR id LIKE 'quiet-old-%' OR id LIKE 'recovered-%'");
    Instant cutoff = Instant.now().minus(Duration.ofDays(30));
    assertThat(plan(cutoff)).as("a batch is a range of the finished deliveries' index")
        .contains("deliveries_finished");

    RetentionDao retention = new RetentionDao(db.jdbi());
    List<Purged> batches = new ArrayList<>();
    List<Long> millis = new ArrayList<>();
    Purged batch;
    do {
      long started = System.nanoTime();
      batch = retention.purgeBatch(cutoff, BATCH);
      millis.add((System.nanoTime() - started) / 1_000_000);
      batches.add(batch);
    } while (batch.full());

    for (int i = 0; i < batches.size(); i++) {
      Purged p = batches.get(i);
      System.out.printf("batch %2d: %4d deliveries, %5d attempts, %4d events in %4d ms%n",
          i + 1, p.deliveries(), p.attempts(), p.events(), millis.get(i));
    }
    System.out.printf("%d batches of up to %d deliveries: median %d ms, max %d ms%n",
        batches.size(), BATCH, percentile(millis, 50), percentile(millis, 100));
    assertThat(batches.subList(0, batches.size() - 1))
        .allSatisfy(p -> assertThat(p.deliveries()).isLessThanOrEqualTo(BATCH));
    assertThat(batches.stream().mapToInt(Purged::deliveries).sum()).isEqualTo(25_000 + 300 + 50);
    assertThat(batches.stream().mapToInt(Purged::attempts).sum()).isEqualTo(100_000 + 300 * 2 + 50 * 2);
    assertThat(batches.stream().mapToInt(Purged::events).sum()).isEqualTo(12_500 + 2000 + 50);

    for (String gone : List.of("old-ok-", "old-failed-", "old-cancelled-", "quiet-old-", "recovered-")) {
      assertThat(aged.rows("events", "id", gone)).as(gone).isZero();
      assertThat(aged.rows("deliveries", "event_id", gone)).as(gone).isZero();
      assertThat(aged.rows("attempts", "delivery_id", "dlv-" + gone)).as(gone).isZero();
      assertThat(aged.rows("delivery_requests", "delivery_id", "dlv-" + gone)).as(gone).isZero();
    }
    assertThat(aged.rows("job_items", "delivery_id", "dlv-recovered-")).isZero();
    // What stays: every unfinished delivery and its event, everything recent, a running recovery's.
    assertThat(aged.rows("events", "id", "mixed-")).isEqualTo(300);
    assertThat(aged.count("SELECT count(*) FROM deliveries WHERE event_id LIKE 'mixed-%'"
        + " AND status IN ('pending', 'retrying', 'held')")).isEqualTo(300);
    assertThat(aged.rows("deliveries", "event_id", "mixed-")).isEqualTo(300);
    assertThat(aged.rows("attempts", "delivery_id", "dlv-mixed-")).isEqualTo(300 * 2);
    for (String kept : List.of("pending-", "retrying-", "held-", "recent-", "recovering-")) {
      assertThat(aged.rows("events", "id", kept)).as(kept).isEqualTo(kept.equals("recent-") ? 1000 : kept.equals("recovering-") ? 50 : 200);
      assertThat(aged.rows("deliveries", "event_id", kept)).as(kept).isEqualTo(aged.rows("events", "id", kept));
    }
    assertThat(aged.rows("attempts", "delivery_id", "dlv-retrying-")).isEqualTo(600);
    assertThat(aged.rows("attempts", "delivery_id", "dlv-recent-")).isEqualTo(3000);
    assertThat(aged.rows("job_items", "delivery_id", "dlv-recovering-")).isEqualTo(50);
    assertThat(aged.rows("events", "id", "quiet-new-")).isEqualTo(100);
    assertThat(aged.count("SELECT position FROM event_feed_purged WHERE tenant_id = ?", store.tenantId))
        .isEqualTo(highestRemoved);
    assertThat(store.events.purgedPosition(store.tenantId)).isEqualTo(highestRemoved);

    Purged again = retention.purgeBatch(cutoff, BATCH);
    assertThat(again).isEqualTo(new Purged(0, 0, 0, false));
  }

  private static String plan(Instant cutoff) {
    List<String> lines = db.jdbi().withHandle(h -> h.createQuery(
            "EXPLAIN SELECT d.id FROM deliveries d WHERE d.status IN ('succeeded', 'failed',"
                + " 'cancelled') AND d.completed_at < :cutoff ORDER BY d.completed_at LIMIT 1000"
                + " FOR UPDATE OF d SKIP LOCKED")
        .bind("cutoff", java.sql.Timestamp.from(cutoff))
        .mapTo(String.class)
        .list());
    return String.join("\n", lines);
  }

  static long percentile(List<Long> values, int p) {
    List<Long> sorted = values.stream().sorted().toList();
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index));
  }
}
