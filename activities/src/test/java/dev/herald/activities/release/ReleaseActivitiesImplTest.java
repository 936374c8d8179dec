package dev.herald.activities.release;

import dev.herald.core.crypto.SecretCipher;
import dev.herald.core.crypto.SecretKeyRing;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.delivery.DeliveryDao;
import dev.herald.core.delivery.DeliveryStatus;
import dev.herald.core.delivery.PendingDelivery;
import dev.herald.core.event.EventDao;
import dev.herald.core.event.EventPublisher;
import dev.herald.core.event.EventRequest;
import dev.herald.core.ids.Ids;
import dev.herald.core.signing.WebhookSigner;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.subscription.SubscriptionDao;
import dev.herald.core.tenant.TenantDao;
import dev.herald.testing.db.TestDatabase;
import dev.herald.workflows.release.ReleaseBatch;
import dev.herald.workflows.release.ReleaseBatchResult;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A release batch against real PostgreSQL, with the workflow starts recorded. */
class ReleaseActivitiesImplTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static TestDatabase db;
  private final ObjectMapper json = new ObjectMapper();
  private final Clock clock = Clock.systemUTC();
  private final Ids ids = new Ids(clock);
  private final List<List<PendingDelivery>> launched = new CopyOnWriteArrayList<>();
  private SubscriptionDao subscriptions;
  private DeliveryDao deliveries;
  private EventPublisher publisher;
  private String tenantId;

  @BeforeAll
  static void database() {
    db = TestDatabase.create();
  }

  @AfterAll
  static void dropDatabase() {
    db.close();
  }

  @BeforeEach
  void setUp() {
    subscriptions = new SubscriptionDao(db.jdbi(), json, new SecretCipher(SecretKeyRing.generate()));
    deliveries = new DeliveryDao(db.jdbi(), subscriptions);
    publisher =
        new EventPublisher(db.jdbi(), new EventDao(db.jdbi(), json), subscriptions, deliveries,
            json, ids, clock);
    tenantId = new TenantDao(db.jdbi(), ids, clock).create("acme", null).id();
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
        assertThat(batch).extracting(PendingDelivery::deliveryId).containsExactly(held.get(0), held.get(1)));
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
    Instant now = clock.instant();
    String id = ids.next("sub");
    Subscription s =
        new Subscription(id, tenantId, "listener", "https://hooks.example.com/h",
            List.of("order." + id), Map.of(), Map.of(), List.of(5, 300), 5, 20, 86400,
            WebhookSigner.newSecret(), null, null, true, true, null, null, 0, null, null, now, now);
    subscriptions.insert(s);
    return s;
  }

  private List<String> publishHeld(Subscription s, int count) {
    List<String> held = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String eventId =
          publisher
              .publish(tenantId, new EventRequest(null, "order." + s.id(), json.createObjectNode(), Map.of()))
              .event()
              .id();
      String deliveryId = deliveries.listForEvent(tenantId, eventId).get(0).id();
      // Distinct creation times, so that oldest first is the publishing order.
      db.jdbi().useHandle(h -> h.execute(
          "UPDATE deliveries SET created_at = ? WHERE id = ?",
          Timestamp.from(T0.plusSeconds(held.size())), deliveryId));
      held.add(deliveryId);
    }
    return held;
  }

  private void resume(Subscription s) {
    db.jdbi().useHandle(h -> h.execute("UPDATE subscriptions SET is_paused = false WHERE id = ?", s.id()));
  }

  private DeliveryStatus statusOf(String deliveryId) {
    return deliveries.findById(deliveryId).orElseThrow().status();
  }
}
