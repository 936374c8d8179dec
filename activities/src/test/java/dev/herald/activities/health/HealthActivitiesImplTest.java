package dev.herald.activities.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.activities.release.DeliveryLauncher;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryDao;
import dev.herald.core.event.Event;
import dev.herald.core.event.EventDao;
import dev.herald.core.event.EventPublisher;
import dev.herald.core.ids.Ids;
import dev.herald.core.metrics.HeraldMetrics;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationDao;
import dev.herald.core.notification.NotificationFilter;
import dev.herald.core.signing.WebhookSigner;
import dev.herald.core.subscription.EndpointAuth;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.subscription.SubscriptionDao;
import dev.herald.core.subscription.WireFormat;
import dev.herald.core.tenant.TenantDao;
import dev.herald.model.DeliveryInput;
import dev.herald.model.DeliveryStatus;
import dev.herald.testing.db.Store;
import dev.herald.testing.db.TestDatabaseExtension;
import dev.herald.workflows.health.OwnerNotice;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The health activities against real PostgreSQL, with the workflow starts recorded. */
class HealthActivitiesImplTest {

  private static final long STREAK_START = Instant.parse("2026-11-22T09:14:00Z").toEpochMilli();
  private static final long DISABLED_AT = Instant.parse("2026-11-23T09:20:00Z").toEpochMilli();
  private static final String REASON =
      "20 consecutive failed attempts since 2026-11-22T09:14Z; last: HTTP 503";

  @RegisterExtension static final TestDatabaseExtension db = new TestDatabaseExtension();
  private final ObjectMapper json = new ObjectMapper();
  private final Clock clock = Clock.systemUTC();
  private final Ids ids = new Ids(clock);
  private final List<DeliveryInput> launched = new CopyOnWriteArrayList<>();
  private SubscriptionDao subscriptions;
  private DeliveryDao deliveries;
  private EventDao events;
  private NotificationDao notifications;
  private EventPublisher publisher;
  private String tenantId;

  @BeforeEach
  void setUp() {
    Store store = new Store(db.get());
    subscriptions = store.subscriptions;
    deliveries = store.deliveries;
    events = store.events;
    notifications = new NotificationDao(db.jdbi());
    publisher = store.publisher;
    tenantId = store.tenantId;
  }

  @Test
  void disablingThenTellingTheOwnerTwiceRecordsOneNotificationOneEventAndOneDelivery() throws Exception {
    Subscription failing = subscribe(tenantId, List.of("*"));
    Subscription listener = subscribe(tenantId, List.of("subscription.*"));
    subscribe(new TenantDao(db.jdbi(), ids, clock).create("other", null).id(), List.of("*"));
    HealthActivitiesImpl activities = activities(launched::addAll);
    OwnerNotice notice = notice(OwnerNotice.DISABLED, failing);

    assertThat(activities.disable(notice)).isTrue();
    activities.notifyOwner(notice);
    activities.notifyOwner(notice);

    Subscription disabled = subscriptions.find(tenantId, failing.id()).orElseThrow();
    assertThat(disabled.isActive()).isFalse();
    assertThat(disabled.disableReason()).isEqualTo(REASON);
    assertThat(disabled.disabledAt()).isEqualTo(Instant.ofEpochMilli(DISABLED_AT));

    assertThat(notifications.list(tenantId, NotificationFilter.all(), null, 10))
        .singleElement()
        .satisfies(n -> {
          assertThat(n.id()).startsWith("ntf_");
          assertThat(n.type()).isEqualTo(OwnerNotice.DISABLED);
          assertThat(n.subscriptionId()).isEqualTo(failing.id());
          assertThat(n.detail()).isEqualTo(REASON);
        });

    List<Event> published = eventsOfTenant(tenantId);
    assertThat(published).singleElement()
        .satisfies(e -> assertThat(e.type()).isEqualTo(OwnerNotice.DISABLED));
    List<Delivery> made = deliveries.listForEvent(tenantId, published.get(0).id());
    assertThat(made).singleElement().satisfies(d -> {
      assertThat(d.subscriptionId()).isEqualTo(listener.id());
      assertThat(d.status()).isEqualTo(DeliveryStatus.PENDING);
    });
    assertThat(launched).extracting(DeliveryInput::deliveryId).containsExactly(made.get(0).id());

    JsonNode data = json.readTree(published.get(0).payload()).get("data");
    assertThat(data.fieldNames()).toIterable().containsExactly(
        "subscriptionId", "name", "url", "reason", "consecutiveFailures", "disabledAt");
    assertThat(data.get("subscriptionId").asText()).isEqualTo(failing.id());
    assertThat(data.get("name").asText()).isEqualTo(failing.name());
    assertThat(data.get("url").asText()).isEqualTo(failing.url());
    assertThat(data.get("reason").asText()).isEqualTo(REASON);
    assertThat(data.get("consecutiveFailures").asInt()).isEqualTo(20);
    assertThat(Instant.parse(data.get("disabledAt").asText())).isEqualTo(Instant.ofEpochMilli(DISABLED_AT));
  }

  @Test
  void aWarningLeavesTheSubscriptionActiveAndItsEventHasNoDisabledAt() throws Exception {
    Subscription failing = subscribe(tenantId, List.of("order.*"));
    subscribe(tenantId, List.of("subscription.failing"));
    OwnerNotice warning = notice(OwnerNotice.FAILING, failing);

    activities(launched::addAll).notifyOwner(warning);

    assertThat(subscriptions.find(tenantId, failing.id()).orElseThrow().isActive()).isTrue();
    assertThat(notifications.list(tenantId, new NotificationFilter(null, OwnerNotice.FAILING), null, 10))
        .hasSize(1);
    JsonNode data = json.readTree(eventsOfTenant(tenantId).get(0).payload()).get("data");
    assertThat(data.has("disabledAt")).isTrue();
    assertThat(data.get("disabledAt").isNull()).isTrue();
    assertThat(launched).hasSize(1);
  }

  @Test
  void theWarningAndTheDisableOfOneStreakAreTwoHappenings() {
    Subscription failing = subscribe(tenantId, List.of("order.*"));
    HealthActivitiesImpl activities = activities(launched::addAll);

    activities.notifyOwner(notice(OwnerNotice.FAILING, failing));
    activities.notifyOwner(notice(OwnerNotice.DISABLED, failing));

    assertThat(notifications.list(tenantId, NotificationFilter.all(), null, 10))
        .extracting(Notification::type)
        .containsExactlyInAnyOrder(OwnerNotice.FAILING, OwnerNotice.DISABLED);
    assertThat(eventsOfTenant(tenantId)).hasSize(2);
  }

  @Test
  void aStartThatFailsLeavesTheDeliveryPendingForTheSweeperAndTheActivitySucceeds() {
    Subscription failing = subscribe(tenantId, List.of("order.*"));
    subscribe(tenantId, List.of("subscription.*"));
    HealthActivitiesImpl activities =
        activities(batch -> {
          throw new IllegalStateException("Temporal is unreachable");
        });

    activities.notifyOwner(notice(OwnerNotice.DISABLED, failing));

    String eventId = eventsOfTenant(tenantId).get(0).id();
    assertThat(deliveries.listForEvent(tenantId, eventId)).singleElement()
        .satisfies(d -> assertThat(d.status()).isEqualTo(DeliveryStatus.PENDING));
  }

  @Test
  void disablingASubscriptionThatIsAlreadyInactiveOrDeletedSaysSo() {
    Subscription failing = subscribe(tenantId, List.of("order.*"));
    HealthActivitiesImpl activities = activities(launched::addAll);
    assertThat(activities.disable(notice(OwnerNotice.DISABLED, failing))).isTrue();
    assertThat(activities.disable(notice(OwnerNotice.DISABLED, failing))).isFalse();

    Subscription deleted = subscribe(tenantId, List.of("order.*"));
    subscriptions.delete(tenantId, deleted.id(), clock.instant());
    assertThat(activities.disable(notice(OwnerNotice.DISABLED, deleted))).isFalse();
  }

  @Test
  void aStreakThatEndedOrWasFollowedByANewerOneDisablesNothing() {
    HealthActivitiesImpl activities = activities(launched::addAll);
    Subscription ended = subscribe(tenantId, List.of("order.ended"));
    setStreak(ended, 0, null);
    assertThat(activities.disable(notice(OwnerNotice.DISABLED, ended))).isFalse();
    Subscription newer = subscribe(tenantId, List.of("order.newer"));
    setStreak(newer, 25, Instant.ofEpochMilli(STREAK_START).plusSeconds(60));
    assertThat(activities.disable(notice(OwnerNotice.DISABLED, newer))).isFalse();
    assertThat(subscriptions.find(tenantId, newer.id()).orElseThrow().isActive()).isTrue();
    // The same streak, grown since: disabled.
    setStreak(newer, 40, Instant.ofEpochMilli(STREAK_START));
    assertThat(activities.disable(notice(OwnerNotice.DISABLED, newer))).isTrue();
  }

  @Test
  void aDeletedSubscriptionsOwnerIsNotToldAboutIt() {
    Subscription deleted = subscribe(tenantId, List.of("order.*"));
    subscribe(tenantId, List.of("subscription.*"));
    subscriptions.delete(tenantId, deleted.id(), clock.instant());

    activities(launched::addAll).notifyOwner(notice(OwnerNotice.DISABLED, deleted));

    assertThat(notifications.list(tenantId, NotificationFilter.all(), null, 10)).isEmpty();
    assertThat(eventsOfTenant(tenantId)).isEmpty();
    assertThat(launched).isEmpty();
  }

  @Test
  void theNoticeTypesAreTheNotificationTypes() {
    // The health workflow's notices, and the certificate notice that the sweeper gives.
    assertThat(Notification.TYPES).containsExactlyInAnyOrder(
        OwnerNotice.FAILING, OwnerNotice.DISABLED, Notification.CERTIFICATE_EXPIRING);
  }

  @Test
  void anEventIdIsDerivedFromTheNoticeAndIsAValidEventId() {
    Subscription s = subscribe(tenantId, List.of("order.*"));
    OwnerNotice notice = notice(OwnerNotice.DISABLED, s);
    OwnerNotice sameHappening =
        new OwnerNotice(notice.type(), notice.subscriptionId(), notice.tenantId(), "other words",
            21, notice.streakStartedAtMillis(), notice.atMillis() + 1000);
    OwnerNotice odd =
        new OwnerNotice(OwnerNotice.DISABLED, "sub with spaces/" + "x".repeat(200), tenantId,
            REASON, 20, STREAK_START, DISABLED_AT);

    assertThat(OperationalEvents.eventId(notice))
        .isEqualTo(OperationalEvents.eventId(sameHappening))
        .isEqualTo("evt_subscription.disabled:" + s.id() + ":" + STREAK_START);
    assertThat(OperationalEvents.eventId(odd))
        .matches("[A-Za-z0-9_.:-]{1,128}")
        .isEqualTo(OperationalEvents.eventId(odd))
        .isNotEqualTo(OperationalEvents.eventId(notice));
  }

  private HealthActivitiesImpl activities(DeliveryLauncher launcher) {
    return new HealthActivitiesImpl(subscriptions, notifications, publisher, launcher, json, ids, clock,
        HeraldMetrics.none());
  }

  private OwnerNotice notice(String type, Subscription s) {
    return new OwnerNotice(type, s.id(), s.tenantId(), REASON, 20, STREAK_START, DISABLED_AT);
  }

  private List<Event> eventsOfTenant(String tenant) {
    return db.jdbi().withHandle(h ->
            h.createQuery("SELECT id FROM events WHERE tenant_id = :t").bind("t", tenant)
                .mapTo(String.class).list())
        .stream()
        .map(id -> events.find(tenant, id).orElseThrow())
        .toList();
  }

  private Subscription subscribe(String tenant, List<String> types) {
    Instant now = clock.instant();
    Subscription s =
        new Subscription(ids.next("sub"), tenant, "listener-" + types.get(0),
            "https://hooks.example.com/" + tenant, types, Map.of(), Map.of(), List.of(5, 300), 5,
            20, 86400, WireFormat.DEFAULT, EndpointAuth.NONE, WebhookSigner.newSecret(), null, null, true, false, null, null, 0, null,
            null, now, now);
    subscriptions.insert(s);
    // The streak the notices are about, as recording its attempts left it.
    setStreak(s, 20, Instant.ofEpochMilli(STREAK_START));
    return s;
  }

  private void setStreak(Subscription s, int failures, Instant since) {
    db.jdbi().useHandle(h -> h.createUpdate(
            "UPDATE subscriptions SET consecutive_failures = :n, failing_since = :since WHERE id = :id")
        .bind("n", failures)
        .bind("since", since == null ? null : java.sql.Timestamp.from(since))
        .bind("id", s.id())
        .execute());
  }
}
