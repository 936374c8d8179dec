package dev.herald.core.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.db.Store;
import dev.herald.testing.db.TestDatabaseExtension;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * What owners read about their subscriptions goes by the retention period too: old
 * notifications and old finished recovery jobs, in batches; a running job and recent rows stay.
 */
@Timeout(60)
class RetentionOfRecordsTest {

  @RegisterExtension static final TestDatabaseExtension db = new TestDatabaseExtension();

  @Test
  void oldNotificationsAndOldFinishedJobsGoInBatchesAndNothingElse() {
    Store store = new Store(db.get());
    AgedStore aged = new AgedStore(store);
    String subscriptionId = store.subscription(false).id();
    store.execute("INSERT INTO notifications (id, tenant_id, type, subscription_id, detail,"
            + " notice_key, created_at) SELECT 'ntf_' || g, ?, 'subscription.failing', ?, 'failing',"
            + " 'key-' || g, now() - make_interval(days => CASE WHEN g <= 25 THEN 40 ELSE 1 END)"
            + " FROM generate_series(1, 30) g",
        store.tenantId, subscriptionId);
    aged.events("recovered", 3, 40, 1, "failed", 1);
    for (String job : new String[] {"job-old-done", "job-old-failed", "job-old-running",
        "job-new-done"}) {
      aged.recoveryOf(job, "recovered", job.endsWith("running") ? "running"
          : job.endsWith("failed") ? "failed" : "completed");
    }
    store.execute("UPDATE jobs SET completed_at = now() - interval '40 days'"
        + " WHERE id IN ('job-old-done', 'job-old-failed')");
    store.execute("UPDATE jobs SET completed_at = now() - interval '1 day' WHERE id = 'job-new-done'");
    Instant cutoff = Instant.now().minus(Duration.ofDays(30));
    RetentionDao retention = new RetentionDao(db.jdbi());

    assertThat(retention.purgeRecords(cutoff, 10)).containsExactly(2, 10);
    assertThat(retention.purgeRecords(cutoff, 10)).containsExactly(0, 10);
    assertThat(retention.purgeRecords(cutoff, 10)).containsExactly(0, 5);
    assertThat(retention.purgeRecords(cutoff, 10)).containsExactly(0, 0);

    assertThat(aged.count("SELECT count(*) FROM notifications")).as("the recent five").isEqualTo(5);
    assertThat(aged.count("SELECT count(*) FROM notifications WHERE created_at < ?",
        java.sql.Timestamp.from(cutoff))).isZero();
    assertThat(aged.count("SELECT count(*) FROM jobs WHERE id IN ('job-old-running',"
        + " 'job-new-done')")).isEqualTo(2);
    assertThat(aged.count("SELECT count(*) FROM jobs")).isEqualTo(2);
    assertThat(aged.count("SELECT count(*) FROM job_items WHERE job_id = 'job-old-running'"))
        .as("a running job keeps its items").isEqualTo(3);
    assertThat(aged.count("SELECT count(*) FROM job_items WHERE job_id LIKE 'job-old-%'"
        + " AND job_id <> 'job-old-running'")).isZero();
  }
}
