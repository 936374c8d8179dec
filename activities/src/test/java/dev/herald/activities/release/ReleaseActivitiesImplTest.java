package dev.herald.activities.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.delivery.DeliveryDao;
import dev.herald.model.DeliveryStatus;
import dev.herald.model.DeliveryInput;
import dev.herald.core.subscription.Subscription;
import dev.herald.testing.db.Store;
import dev.herald.testing.db.TestDatabaseExtension;
import dev.herald.workflows.release.ReleaseBatch;
import dev.herald.workflows.release.ReleaseBatchResult;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A release batch against real PostgreSQL, with the workflow starts recorded. */
class ReleaseActivitiesImplTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @RegisterExtension static final TestDatabaseExtension db = new TestDatabaseExtension();
  private final Clock clock = Clock.systemUTC();
  private final List<List<DeliveryInput>> launched = new CopyOnWriteArrayList<>();
  private Store store;
  private DeliveryDao deliveries;

  @BeforeEach
  void setUp() {
    store = new Store(db.get());
    deliveries = store.deliveries;
  }

  @Test
  void aBatchReleasesUpToItsLimitAndStartsThoseDeliveriesOldestFirst() {
    Subscription s = pausedSubscription();
    List<String> held = publishHeld(s, 3);
    resume(s);
    ReleaseActivitiesImpl activities = new ReleaseActivitiesImpl(deliveries, launched::add, clock);

    ReleaseBatchResult result = activities.releaseBatch(new ReleaseBatch(s.id(), 2));

    assertThat(result).isEqualTo(ReleaseBatchResult.released(2));
    assertThat(launched).singleElement().satisfies(batch ->
        assertThat(batch).extracting(DeliveryInput::deliveryId).containsExactly(held.get(0), held.get(1)));
    assertThat(statusOf(held.get(2))).isEqualTo(DeliveryStatus.HELD);
  }

  @Test
  void aStartThatFailsLeavesTheDeliveryPendingForTheSweeperAndTheBatchSucceeds() {
    Subscription s = pausedSubscription();
    String held = publishHeld(s, 1).get(0);
    resume(s);
    ReleaseActivitiesImpl activities =
        new ReleaseActivitiesImpl(
            deliveries,
            batch -> {
              throw new IllegalStateException("Temporal is unreachable");
            },
            clock);

    ReleaseBatchResult result = activities.releaseBatch(new ReleaseBatch(s.id(), 20));

    assertThat(result).isEqualTo(ReleaseBatchResult.released(1));
    assertThat(statusOf(held)).isEqualTo(DeliveryStatus.PENDING);
  }

  @Test
  void aPausedSubscriptionIsReportedNotDeliverableAndNothingStarts() {
    Subscription s = pausedSubscription();
    String held = publishHeld(s, 1).get(0);
    ReleaseActivitiesImpl activities = new ReleaseActivitiesImpl(deliveries, launched::add, clock);

    ReleaseBatchResult result = activities.releaseBatch(new ReleaseBatch(s.id(), 20));

    assertThat(result).isEqualTo(ReleaseBatchResult.notDeliverable());
    assertThat(launched).isEmpty();
    assertThat(statusOf(held)).isEqualTo(DeliveryStatus.HELD);
  }

  @Test
  void anEmptyBacklogStartsNothing() {
    Subscription s = pausedSubscription();
    resume(s);
    ReleaseActivitiesImpl activities = new ReleaseActivitiesImpl(deliveries, launched::add, clock);

    assertThat(activities.releaseBatch(new ReleaseBatch(s.id(), 20)))
        .isEqualTo(ReleaseBatchResult.released(0));
    assertThat(launched).isEmpty();
  }

  private Subscription pausedSubscription() {
    return store.subscription(true);
  }

  /** Held deliveries, created a second apart from T0 so that oldest first is publishing order. */
  private List<String> publishHeld(Subscription s, int count) {
    List<String> held = store.publish(s, count);
    for (int i = 0; i < held.size(); i++) {
      store.setCreatedAt(held.get(i), T0.plusSeconds(i));
    }
    return held;
  }

  private void resume(Subscription s) {
    store.setPaused(s, false);
  }

  private DeliveryStatus statusOf(String deliveryId) {
    return store.statusOf(deliveryId);
  }
}
