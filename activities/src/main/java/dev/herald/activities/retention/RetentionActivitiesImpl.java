package dev.herald.activities.retention;

import dev.herald.core.retention.Purged;
import dev.herald.core.retention.RetentionDao;
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

  private final RetentionDao retention;
  private final Duration keep;
  private final int batchSize;
  private final Clock clock;

  /**
   * @param keep how long a finished delivery is kept after its completion
   * @param batchSize the most deliveries one batch removes
   */
  public RetentionActivitiesImpl(RetentionDao retention, Duration keep, int batchSize, Clock clock) {
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
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    log.info("retention removed {} deliveries, {} attempts, {} events completed before {} in {} ms{}",
        purged.deliveries(), purged.attempts(), purged.events(), cutoff, millis,
        purged.full() ? "; more to remove" : "");
    return new RetentionBatchResult(purged.deliveries(), purged.attempts(), purged.events(),
        cutoff.toEpochMilli(), millis, purged.full());
  }
}
