package dev.herald.activities.retention;

import dev.herald.core.metrics.HeraldMetrics;
import dev.herald.core.retention.Purged;
import dev.herald.core.retention.RetentionDao;
import dev.herald.core.stats.StatsWindow;
import dev.herald.workflows.retention.RetentionActivities;
import dev.herald.workflows.retention.RetentionBatchResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One retention batch with this worker's settings, and its log line. Shared by every activity
 * thread of a worker; holds no state of its own.
 */
public final class RetentionActivitiesImpl implements RetentionActivities {

  private static final Logger log = LoggerFactory.getLogger(RetentionActivitiesImpl.class);

  /** Statistics rows a batch removes at most, per delivery it may remove. */
  static final int STATISTICS_PER_DELIVERY = 10;

  private final RetentionDao retention;
  private final Duration keep;
  private final int batchSize;
  private final Clock clock;
  private final HeraldMetrics metrics;

  /**
   * @param keep how long a finished delivery is kept after its completion
   * @param batchSize the most deliveries one batch removes
   */
  public RetentionActivitiesImpl(
      RetentionDao retention, Duration keep, int batchSize, Clock clock, HeraldMetrics metrics) {
    this.metrics = metrics;
    this.retention = retention;
    this.keep = keep;
    this.batchSize = batchSize;
    this.clock = clock;
  }

  @Override
  public RetentionBatchResult purgeBatch() {
    Instant cutoff = clock.instant().minus(keep);
    long started = System.nanoTime();
    Purged purged = retention.purgeBatch(cutoff, batchSize);
    // Statistics rows are small and many (a few per active subscription every 5 minutes): a
    // batch takes ten times as many of them.
    int statsLimit = STATISTICS_PER_DELIVERY * batchSize;
    int statistics = retention.purgeStatistics(StatsWindow.oldestKept(clock.instant()), statsLimit);
    int[] records = retention.purgeRecords(cutoff, batchSize);
    long nanos = System.nanoTime() - started;
    long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
    boolean full = purged.full() || statistics >= statsLimit
        || records[0] >= batchSize || records[1] >= batchSize;
    metrics.retained(purged.deliveries(), purged.attempts(), purged.events(), statistics,
        Duration.ofNanos(nanos));
    metrics.retainedRecords(records[0], records[1]);
    log.info("retention removed {} deliveries, {} attempts, {} events completed before {}, {}"
            + " statistics rows, {} finished jobs and {} notifications in {} ms{}",
        purged.deliveries(), purged.attempts(), purged.events(), cutoff, statistics, records[0],
        records[1], millis, full ? "; more to remove" : "");
    return new RetentionBatchResult(purged.deliveries(), purged.attempts(), purged.events(),
        cutoff.toEpochMilli(), millis, full);
  }
}
