package dev.herald.activities.release;

import dev.herald.core.delivery.DeliveryDao;
import dev.herald.core.delivery.HeldRelease;
import dev.herald.workflows.release.ReleaseActivities;
import dev.herald.workflows.release.ReleaseBatch;
import dev.herald.workflows.release.ReleaseBatchResult;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch of a release: move held deliveries to pending in PostgreSQL, then start their
 * workflows. Shared by every activity thread of a worker; holds no state of its own.
 */
public final class ReleaseActivitiesImpl implements ReleaseActivities {

  private static final Logger log = LoggerFactory.getLogger(ReleaseActivitiesImpl.class);

  private final DeliveryDao deliveries;
  private final DeliveryLauncher launcher;
  private final java.util.function.Consumer<String> batcher;
  private final Clock clock;

  public ReleaseActivitiesImpl(DeliveryDao deliveries, DeliveryLauncher launcher, Clock clock) {
    this(deliveries, launcher, subscriptionId -> {}, clock);
  }

  /**
   * @param batcher wakes a batched subscription's batcher, which gathers the released deliveries
   *     that have no workflow of their own and tells its held batches
   */
  public ReleaseActivitiesImpl(
      DeliveryDao deliveries, DeliveryLauncher launcher,
      java.util.function.Consumer<String> batcher, Clock clock) {
    this.deliveries = deliveries;
    this.launcher = launcher;
    this.batcher = batcher;
    this.clock = clock;
  }

  @Override
  public ReleaseBatchResult releaseBatch(ReleaseBatch batch) {
    HeldRelease release = deliveries.releaseHeld(batch.subscriptionId(), batch.limit(), clock.instant());
    if (!release.deliverable()) {
      return ReleaseBatchResult.notDeliverable();
    }
    if (!release.released().isEmpty()) {
      try {
        launcher.launch(release.released());
      } catch (RuntimeException e) {
        // The rows are committed as pending: the sweeper starts them after its grace period.
        // Failing here would make Temporal retry the batch and release the next rows early.
        log.warn("could not start {} released deliveries of {}; the sweeper will: {}",
            release.released().size(), batch.subscriptionId(), e.toString());
      }
    }
    if (release.batched()) {
      // Batched deliveries (and held batches) are the batcher's; a lost wake is the sweeper's.
      try {
        batcher.accept(batch.subscriptionId());
      } catch (RuntimeException e) {
        log.warn("could not wake the batcher of {}; the sweeper will: {}", batch.subscriptionId(),
            e.toString());
      }
    }
    return ReleaseBatchResult.released(release.released().size() + release.gathered());
  }
}
