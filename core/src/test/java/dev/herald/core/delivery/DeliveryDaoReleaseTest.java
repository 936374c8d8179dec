package dev.herald.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.subscription.Subscription;
import dev.herald.model.DeliveryInput;
import dev.herald.model.DeliveryStatus;
import dev.herald.testing.db.Store;
import dev.herald.testing.db.TestDatabaseExtension;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** Releasing held deliveries, against real PostgreSQL. */
@Timeout(60)
class DeliveryDaoReleaseTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @RegisterExtension static final TestDatabaseExtension db = new TestDatabaseExtension();
  private final Clock clock = Clock.systemUTC();
  private Store store;
  private DeliveryDao deliveries;
  private String tenantId;

  @BeforeEach
  void setUp() {
    store = new Store(db.get());
    deliveries = store.deliveries;
    tenantId = store.tenantId;
  }

  @Test
  void heldDeliveriesAreReleasedOldestFirstUpToTheLimit() {
    Subscription s = pausedSubscription();
    List<String> held = publishHeld(s, 5);
    // Creation times out of id order, two of them equal: the order is created_at, then id.
    setCreatedAt(held.get(3), T0);
    setCreatedAt(held.get(1), T0.plusSeconds(1));
    setCreatedAt(held.get(4), T0.plusSeconds(2));
    setCreatedAt(held.get(0), T0.plusSeconds(3));
    setCreatedAt(held.get(2), T0.plusSeconds(3));
    resume(s);
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);

    HeldRelease first = deliveries.releaseHeld(s.id(), 3, now);

    assertThat(first.deliverable()).isTrue();
    assertThat(first.released())
        .extracting(DeliveryInput::deliveryId)
        .containsExactly(held.get(3), held.get(1), held.get(4));
    assertThat(statusOf(held.get(0))).isEqualTo(DeliveryStatus.HELD);
    Delivery moved = deliveries.findById(held.get(3)).orElseThrow();
    assertThat(moved.status()).isEqualTo(DeliveryStatus.PENDING);
    assertThat(moved.updatedAt()).isEqualTo(now);
    assertThat(moved.nextAttemptAt()).isNull();

    assertThat(deliveries.releaseHeld(s.id(), 3, now).released())
        .extracting(DeliveryInput::deliveryId)
        .containsExactly(held.get(0), held.get(2));
    HeldRelease drained = deliveries.releaseHeld(s.id(), 3, now);
    assertThat(drained.deliverable()).isTrue();
    assertThat(drained.released()).isEmpty();
  }

  @Test
  void aReleasedDeliveryCarriesWhatItsWorkflowNeedsAndGoesOnFromItsAttempts() {
    Subscription s = pausedSubscription();
    String id = publishHeld(s, 1).get(0);
    // Held after two failed attempts; its next attempt time no longer applies.
    db.jdbi().useHandle(h -> h.execute(
        "UPDATE deliveries SET attempt_count = 2, next_attempt_at = now() WHERE id = ?", id));
    resume(s);

    DeliveryInput p = deliveries.releaseHeld(s.id(), 20, clock.instant()).released().get(0);

    assertThat(p).isEqualTo(
        new DeliveryInput(id, tenantId, s.id(), typeFor(s.id()), s.url(), s.retrySchedule(), 3));
    assertThat(deliveries.findById(id).orElseThrow().nextAttemptAt()).isNull();
  }

  @Test
  void aDeliveryWhoseAttemptsReachItsShortenedScheduleIsReleasedForExactlyOneMore() {
    Subscription s = pausedSubscription();
    List<String> ids = publishHeld(s, 3);
    // Four attempts made under a longer schedule; the subscription's now allows two in all.
    update("UPDATE subscriptions SET retry_schedule = '{1}' WHERE id = ?", s.id());
    db.jdbi().useHandle(h -> h.execute(
        "UPDATE deliveries SET attempt_count = 4 WHERE id = ?", ids.get(0)));
    // Reopened by hand for attempt 3 and held before making it: one attempt still to make.
    db.jdbi().useHandle(h -> h.execute(
        "UPDATE deliveries SET attempt_count = 2, max_attempts = 3 WHERE id = ?", ids.get(1)));
    // One attempt made, within the shortened schedule: it keeps to the schedule.
    db.jdbi().useHandle(h -> h.execute(
        "UPDATE deliveries SET attempt_count = 1 WHERE id = ?", ids.get(2)));
    resume(s);

    Map<String, DeliveryInput> released = new HashMap<>();
    deliveries.releaseHeld(s.id(), 20, clock.instant()).released()
        .forEach(p -> released.put(p.deliveryId(), p));

    assertThat(released.get(ids.get(0)).attemptsMade()).isEqualTo(4);
    assertThat(released.get(ids.get(0)).maxAttempts()).as("exactly one more").isEqualTo(5);
    assertThat(released.get(ids.get(1)).maxAttempts()).isEqualTo(3);
    assertThat(released.get(ids.get(2)).lastAttempt()).as("the schedule's last").isZero();
    assertThat(released.get(ids.get(2)).maxAttempts()).isEqualTo(2);
    Integer recorded = db.jdbi().withHandle(h -> h.createQuery(
            "SELECT max_attempts FROM deliveries WHERE id = :id").bind("id", ids.get(0))
        .mapTo(Integer.class).one());
    assertThat(recorded).as("recorded on the row, as a retry by hand is").isEqualTo(5);
  }

  @Test
  void nothingIsReleasedWhileTheSubscriptionIsPaused() {
    Subscription s = pausedSubscription();
    List<String> held = publishHeld(s, 3);

    HeldRelease release = deliveries.releaseHeld(s.id(), 20, clock.instant());

    assertThat(release.deliverable()).isFalse();
    assertThat(release.released()).isEmpty();
    assertThat(held).allSatisfy(id -> assertThat(statusOf(id)).isEqualTo(DeliveryStatus.HELD));
  }

  @Test
  void nothingIsReleasedWhileTheSubscriptionIsDisabled() {
    Subscription s = pausedSubscription();
    List<String> held = publishHeld(s, 3);
    update("UPDATE subscriptions SET is_paused = false, is_active = false WHERE id = ?", s.id());

    HeldRelease release = deliveries.releaseHeld(s.id(), 20, clock.instant());

    assertThat(release.deliverable()).isFalse();
    assertThat(held).allSatisfy(id -> assertThat(statusOf(id)).isEqualTo(DeliveryStatus.HELD));
  }

  @Test
  void nothingIsReleasedOnceTheSubscriptionIsDeleted() {
    Subscription s = pausedSubscription();
    List<String> held = publishHeld(s, 3);
    update("UPDATE subscriptions SET is_paused = false, deleted_at = now() WHERE id = ?", s.id());

    HeldRelease release = deliveries.releaseHeld(s.id(), 20, clock.instant());

    assertThat(release.deliverable()).isFalse();
    assertThat(held).allSatisfy(id -> assertThat(statusOf(id)).isEqualTo(DeliveryStatus.HELD));
  }

  @Test
  void onlyThisSubscriptionsHeldDeliveriesMove() {
    Subscription s = pausedSubscription();
    Subscription other = pausedSubscription();
    List<String> mine = publishHeld(s, 3);
    String others = publishHeld(other, 1).get(0);
    update("UPDATE deliveries SET status = 'cancelled' WHERE id = ?", mine.get(0));
    resume(s);
    resume(other);

    HeldRelease release = deliveries.releaseHeld(s.id(), 20, clock.instant());

    assertThat(release.released())
        .extracting(DeliveryInput::deliveryId)
        .containsExactlyInAnyOrder(mine.get(1), mine.get(2));
    assertThat(statusOf(mine.get(0))).isEqualTo(DeliveryStatus.CANCELLED);
    assertThat(statusOf(others)).isEqualTo(DeliveryStatus.HELD);
  }

  @Test
  void rowsAnotherReleaseHasLockedAreSkippedNotWaitedFor() {
    Subscription s = pausedSubscription();
    List<String> held = publishHeld(s, 6);
    for (int i = 0; i < held.size(); i++) {
      setCreatedAt(held.get(i), T0.plusSeconds(i));
    }
    resume(s);

    try (Handle other = db.jdbi().open()) {
      other.begin();
      // Another release's transaction, still open, holding the three oldest rows.
      other.createQuery(
              "SELECT id FROM deliveries WHERE id = ANY(:ids) FOR UPDATE")
          .bind("ids", held.subList(0, 3).toArray(String[]::new))
          .mapTo(String.class)
          .list();

      HeldRelease release = deliveries.releaseHeld(s.id(), 2, clock.instant());

      assertThat(release.released())
          .extracting(DeliveryInput::deliveryId)
          .containsExactly(held.get(3), held.get(4));
      other.rollback();
    }
  }

  @Test
  void concurrentReleasesOfOneBacklogReleaseEveryRowExactlyOnce() throws Exception {
    Subscription s = pausedSubscription();
    List<String> held = insertHeld(s, 400);
    resume(s);
    int workers = 4;
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        results.add(pool.submit(() -> {
          go.await();
          List<String> mine = new ArrayList<>();
          while (true) {
            List<DeliveryInput> batch = deliveries.releaseHeld(s.id(), 7, clock.instant()).released();
            if (batch.isEmpty()) {
              return mine;
            }
            batch.forEach(p -> mine.add(p.deliveryId()));
          }
        }));
      }
      go.countDown();
      List<String> all = new ArrayList<>();
      for (Future<List<String>> r : results) {
        all.addAll(r.get(30, TimeUnit.SECONDS));
      }
      assertThat(all).hasSize(400);
      assertThat(new HashSet<>(all)).containsExactlyInAnyOrderElementsOf(held);
      int pending = db.jdbi().withHandle(h -> h.createQuery(
              "SELECT count(*) FROM deliveries WHERE subscription_id = :s AND status = 'pending'")
          .bind("s", s.id())
          .mapTo(Integer.class)
          .one());
      assertThat(pending).isEqualTo(400);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aDeliverableSubscriptionWithOldHeldDeliveriesIsStranded() {
    Subscription stranded = pausedSubscription();
    Subscription stillPaused = pausedSubscription();
    Subscription fresh = pausedSubscription();
    List<String> old = publishHeld(stranded, 2);
    List<String> pausedOld = publishHeld(stillPaused, 1);
    publishHeld(fresh, 1);
    Instant cutoff = clock.instant().plusSeconds(1);
    setUpdatedAt(old.get(0), cutoff.minusSeconds(60));
    setUpdatedAt(pausedOld.get(0), cutoff.minusSeconds(60));
    resume(stranded);
    resume(fresh);
    db.jdbi().useHandle(h -> h.execute(
        "UPDATE deliveries SET updated_at = ? WHERE subscription_id = ?",
        Timestamp.from(cutoff.plusSeconds(5)), fresh.id()));

    // Earlier tests of this class leave subscriptions of their own behind.
    assertThat(deliveries.findStrandedHolds(cutoff, 100))
        .contains(stranded.id())
        .doesNotContain(stillPaused.id(), fresh.id());
  }

  private Subscription pausedSubscription() {
    return store.subscription(true);
  }

  /** Publishes {@code count} events, each held for the paused subscription; ids in order. */
  private List<String> publishHeld(Subscription s, int count) {
    List<String> held = store.publish(s, count);
    held.forEach(id -> assertThat(store.statusOf(id)).isEqualTo(DeliveryStatus.HELD));
    return held;
  }

  private static String typeFor(String subscriptionId) {
    return Store.typeFor(subscriptionId);
  }

  /** {@code count} held deliveries: one published, the rest inserted in one statement. */
  private List<String> insertHeld(Subscription s, int count) {
    List<String> held = publishHeld(s, 1);
    String eventId = deliveries.findById(held.get(0)).orElseThrow().eventId();
    held.addAll(db.jdbi().withHandle(h -> h.createQuery(
            "INSERT INTO deliveries (id, tenant_id, event_id, subscription_id, event_type, status,"
                + " created_at, updated_at) SELECT :s || '_dlv_' || lpad(n::text, 4, '0'), :t, :e,"
                + " :s, 'bulk', 'held', now(), now() FROM generate_series(2, :count) n"
                + " RETURNING id")
        .bind("s", s.id())
        .bind("t", tenantId)
        .bind("e", eventId)
        .bind("count", count)
        .mapTo(String.class)
        .list()));
    return held;
  }

  private void resume(Subscription s) {
    store.setPaused(s, false);
  }

  private DeliveryStatus statusOf(String deliveryId) {
    return store.statusOf(deliveryId);
  }

  private void setCreatedAt(String deliveryId, Instant at) {
    store.setCreatedAt(deliveryId, at);
  }

  private void setUpdatedAt(String deliveryId, Instant at) {
    db.jdbi().useHandle(h -> h.execute(
        "UPDATE deliveries SET updated_at = ? WHERE id = ?", Timestamp.from(at), deliveryId));
  }

  private static void update(String sql, String id) {
    db.jdbi().useHandle(h -> h.execute(sql, id));
  }
}
