package dev.herald.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.crypto.SecretCipher;
import dev.herald.core.crypto.SecretKeyRing;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.ids.Ids;
import dev.herald.core.signing.WebhookSigner;
import dev.herald.core.subscription.EndpointAuth;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.subscription.SubscriptionDao;
import dev.herald.core.subscription.WireFormat;
import dev.herald.core.tenant.Tenant;
import dev.herald.core.tenant.TenantDao;
import dev.herald.model.DeliveryStatus;
import dev.herald.testing.db.TestDatabaseExtension;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An event's reference to its tenant is checked when the publish commits (V21): a publish in
 * flight holds no lock on the tenant's row until it takes its feed position, so concurrent
 * publishes do not pile lockers onto that row, and the check still refuses a missing tenant.
 */
class TenantCheckAtCommitTest {

  @RegisterExtension static final TestDatabaseExtension db = new TestDatabaseExtension();
  private final ObjectMapper json = new ObjectMapper();
  private final Clock clock = Clock.systemUTC();
  private final Ids ids = new Ids(clock);
  private EventDao events;
  private Tenant tenant;
  private Subscription subscription;

  @BeforeEach
  void setUp() {
    events = new EventDao(db.jdbi(), json);
    tenant = new TenantDao(db.jdbi(), ids, clock).create("acme", null);
    Instant now = clock.instant();
    subscription =
        new Subscription(ids.next("sub"), tenant.id(), "orders", "https://hooks.example.com/h",
            List.of("*"), Map.of(), Map.of(), List.of(5, 300), 5, 20, 86400, WireFormat.DEFAULT,
            EndpointAuth.NONE, WebhookSigner.newSecret(), null, null, true, false, null, null, 0,
            null, null, now, now);
    new SubscriptionDao(db.jdbi(), json, new SecretCipher(SecretKeyRing.generate()))
        .insert(subscription);
  }

  @Test
  void anUncommittedPublishLeavesItsTenantFreeToLock() {
    String eventId = ids.next("evt");
    try (Handle publishing = db.jdbi().open(); Handle other = db.jdbi().open()) {
      publishing.begin();
      assertThat(insert(publishing, tenant.id(), eventId, subscription.id())).isTrue();

      // Checked at once, the insert would hold a KEY SHARE lock on the row until its commit, and
      // this would fail with lock_not_available.
      other.begin();
      assertThat(lockTenantNow(other, tenant.id())).isEqualTo(tenant.id());
      other.rollback();

      publishing.commit();
    }
    assertThat(events.find(tenant.id(), eventId)).isPresent();
    assertThat(deliveryCount(eventId)).isEqualTo(1);
  }

  @Test
  void anEventOfAMissingTenantFailsAtCommitAndWritesNothing() {
    String eventId = ids.next("evt");
    try (Handle publishing = db.jdbi().open()) {
      publishing.begin();
      assertThat(insert(publishing, "ten_missing", eventId, subscription.id())).isTrue();
      assertThatThrownBy(publishing::commit).hasStackTraceContaining("events_tenant_id_fkey");
    }
    assertThat(events.find("ten_missing", eventId)).isEmpty();
    assertThat(deliveryCount(eventId)).isZero();
  }

  /** The publisher's own insert: the event and one pending delivery, not committed. */
  private boolean insert(Handle h, String tenantId, String eventId, String subscriptionId) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Event event = new Event(tenantId, eventId, "order.paid", "{}", Map.of(), 1, now);
    Delivery delivery =
        new Delivery(ids.next("dlv"), tenantId, eventId, subscriptionId, "order.paid",
            DeliveryStatus.PENDING, 0, null, now, now, null, Subscription.Kind.SUBSCRIPTION, null);
    return events.insertWithDeliveries(h, event, "hash", List.of(delivery),
        Collections.singletonList(null), Set.of());
  }

  /** Locks the tenant's row without waiting: fails if another transaction holds any lock on it. */
  private static String lockTenantNow(Handle h, String id) {
    return h.createQuery("SELECT id FROM tenants WHERE id = :id FOR UPDATE NOWAIT")
        .bind("id", id)
        .mapTo(String.class)
        .one();
  }

  private long deliveryCount(String eventId) {
    return db.jdbi().withHandle(h -> h.createQuery(
            "SELECT count(*) FROM deliveries WHERE event_id = :e")
        .bind("e", eventId)
        .mapTo(Long.class)
        .one());
  }
}
