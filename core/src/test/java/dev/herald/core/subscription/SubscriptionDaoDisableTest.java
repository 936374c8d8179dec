package dev.herald.core.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.crypto.SecretCipher;
import dev.herald.core.crypto.SecretKeyRing;
import dev.herald.core.delivery.DeliveryDao;
import dev.herald.core.event.EventDao;
import dev.herald.core.event.EventPublisher;
import dev.herald.core.event.EventRequest;
import dev.herald.core.ids.Ids;
import dev.herald.core.metrics.HeraldMetrics;
import dev.herald.core.signing.WebhookSigner;
import dev.herald.core.tenant.TenantDao;
import dev.herald.model.DeliveryStatus;
import dev.herald.testing.db.TestDatabaseExtension;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SubscriptionDao#disable}: one statement, only a live active subscription changes. */
class SubscriptionDaoDisableTest {

  private static final Instant DISABLED_AT = Instant.parse("2026-11-23T10:00:00Z");
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:01Z");

  @RegisterExtension static final TestDatabaseExtension db = new TestDatabaseExtension();
  private final ObjectMapper json = new ObjectMapper();
  private final Clock clock = Clock.systemUTC();
  private final Ids ids = new Ids(clock);
  private SubscriptionDao subscriptions;
  private DeliveryDao deliveries;
  private String tenantId;

  @BeforeEach
  void setUp() {
    subscriptions = new SubscriptionDao(db.jdbi(), json, new SecretCipher(SecretKeyRing.generate()));
    deliveries = new DeliveryDao(db.jdbi(), subscriptions);
    tenantId = new TenantDao(db.jdbi(), ids, clock).create("acme", null).id();
  }

  @Test
  void anActiveSubscriptionIsDisabledOnceWithItsReasonAndTime() {
    Subscription s = subscription(true);

    assertThat(subscriptions.disable(tenantId, s.id(), "20 consecutive failed attempts", DISABLED_AT, NOW))
        .isTrue();
    assertThat(subscriptions.disable(tenantId, s.id(), "another reason", NOW, NOW)).isFalse();

    Subscription after = subscriptions.find(tenantId, s.id()).orElseThrow();
    assertThat(after.isActive()).isFalse();
    assertThat(after.disableReason()).isEqualTo("20 consecutive failed attempts");
    assertThat(after.disabledAt()).isEqualTo(DISABLED_AT);
    assertThat(after.updatedAt()).isEqualTo(NOW);
    assertThat(after.isPaused()).isFalse();
  }

  @Test
  void anAlreadyInactiveSubscriptionIsLeftAsItIs() {
    Subscription s = subscription(false);

    assertThat(subscriptions.disable(tenantId, s.id(), "reason", DISABLED_AT, NOW)).isFalse();

    assertThat(subscriptions.find(tenantId, s.id()).orElseThrow()).isEqualTo(s);
  }

  @Test
  void aDeletedUnknownOrForeignSubscriptionIsNotChanged() {
    Subscription deleted = subscription(true);
    subscriptions.delete(tenantId, deleted.id(), NOW);
    Subscription foreign = subscription(true);
    String otherTenant = new TenantDao(db.jdbi(), ids, clock).create("other", null).id();

    assertThat(subscriptions.disable(tenantId, deleted.id(), "reason", DISABLED_AT, NOW)).isFalse();
    assertThat(subscriptions.disable(tenantId, "sub_unknown", "reason", DISABLED_AT, NOW)).isFalse();
    assertThat(subscriptions.disable(otherTenant, foreign.id(), "reason", DISABLED_AT, NOW)).isFalse();
    assertThat(subscriptions.find(tenantId, foreign.id()).orElseThrow().isActive()).isTrue();
  }

  @Test
  void itsDeliveriesAreNotTouched() {
    Subscription s = subscription(true);
    EventPublisher publisher =
        new EventPublisher(db.jdbi(), new EventDao(db.jdbi(), json), subscriptions, deliveries,
            json, ids, clock, HeraldMetrics.none());
    String eventId =
        publisher.publish(tenantId, new EventRequest(null, "order.paid", json.createObjectNode(), Map.of()))
            .event().id();

    subscriptions.disable(tenantId, s.id(), "reason", DISABLED_AT, NOW);

    assertThat(deliveries.listForEvent(tenantId, eventId))
        .singleElement()
        .satisfies(d -> assertThat(d.status()).isEqualTo(DeliveryStatus.PENDING));
  }

  private Subscription subscription(boolean active) {
    Instant created = Instant.parse("2026-11-01T00:00:00Z");
    Subscription s =
        new Subscription(ids.next("sub"), tenantId, "listener", "https://hooks.example.com/h",
            List.of("order.paid"), Map.of(), Map.of(), List.of(5), 5, 20, 86400,
            WireFormat.DEFAULT, EndpointAuth.NONE, WebhookSigner.newSecret(), null, null, active, false, null, null, 0, null, null,
            created, created);
    subscriptions.insert(s);
    return s;
  }
}
