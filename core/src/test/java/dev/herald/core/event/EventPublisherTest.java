package dev.herald.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.crypto.SecretCipher;
import dev.herald.core.crypto.SecretKeyRing;
import dev.herald.core.delivery.DeliveryDao;
import dev.herald.core.ids.Ids;
import dev.herald.core.metrics.HeraldMetrics;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EventPublisherTest {

  @RegisterExtension static final TestDatabaseExtension db = new TestDatabaseExtension();
  private final ObjectMapper json = new ObjectMapper();
  private final Clock clock = Clock.systemUTC();
  private final Ids ids = new Ids(clock);
  private SubscriptionDao subscriptions;
  private DeliveryDao deliveries;
  private EventDao events;
  private EventPublisher publisher;
  private Tenant tenant;

  @BeforeEach
  void setUp() {
    subscriptions = new SubscriptionDao(db.jdbi(), json, new SecretCipher(SecretKeyRing.generate()));
    deliveries = new DeliveryDao(db.jdbi(), subscriptions);
    events = new EventDao(db.jdbi(), json);
    publisher = new EventPublisher(db.jdbi(), events, subscriptions, deliveries, json, ids, clock,
        HeraldMetrics.none());
    tenant = new TenantDao(db.jdbi(), ids, clock).create("acme", null);
  }

  @Test
  void anEventGoesToEveryMatchingSubscriptionAndNoOther() {
    Subscription orders = subscribe(List.of("order.*"), Map.of(), false);
    subscribe(List.of("invoice.paid"), Map.of(), false);
    Subscription w42 = subscribe(List.of("*"), Map.of("workspaceId", "w_42"), false);
    subscribe(List.of("*"), Map.of("workspaceId", "w_7"), false);

    PublishResult result = publish("evt_1", "order.paid", Map.of("workspaceId", "w_42"));

    assertThat(result.created()).isTrue();
    assertThat(result.event().deliveryCount()).isEqualTo(2);
    assertThat(result.toStart()).extracting(p -> p.subscriptionId())
        .containsExactlyInAnyOrder(orders.id(), w42.id());
    assertThat(deliveries.listForEvent(tenant.id(), "evt_1"))
        .allSatisfy(d -> assertThat(d.status()).isEqualTo(DeliveryStatus.PENDING));
  }

  @Test
  void thePayloadHoldsIdTypeTimestampAndData() throws Exception {
    subscribe(List.of("order.paid"), Map.of(), false);
    PublishResult result = publish("evt_p", "order.paid", Map.of());
    var payload = json.readTree(result.event().payload());
    assertThat(payload.fieldNames()).toIterable().containsExactly("id", "type", "timestamp", "data");
    assertThat(payload.get("id").asText()).isEqualTo("evt_p");
    assertThat(payload.get("data").get("orderId").asText()).isEqualTo("981");
    assertThat(Instant.parse(payload.get("timestamp").asText())).isEqualTo(result.event().createdAt());
  }

  @Test
  void theSameIdAndBodyAnswerTheFirstAnswerAndCreateNothingMore() {
    subscribe(List.of("order.paid"), Map.of(), false);
    PublishResult first = publish("evt_2", "order.paid", Map.of());
    PublishResult again = publish("evt_2", "order.paid", Map.of());
    assertThat(again.created()).isFalse();
    assertThat(again.toStart()).isEmpty();
    assertThat(again.event()).isEqualTo(first.event());
    assertThat(deliveries.listForEvent(tenant.id(), "evt_2")).hasSize(1);
  }

  @Test
  void theSameIdWithAnotherBodyIsAConflict() {
    publish("evt_3", "order.paid", Map.of());
    assertThatThrownBy(() -> publish("evt_3", "order.refunded", Map.of()))
        .isInstanceOf(EventIdConflictException.class);
  }

  @Test
  void aPausedSubscriptionGetsAHeldDeliveryAndNoWorkflow() {
    subscribe(List.of("order.paid"), Map.of(), true);
    PublishResult result = publish("evt_4", "order.paid", Map.of());
    assertThat(result.toStart()).isEmpty();
    assertThat(deliveries.listForEvent(tenant.id(), "evt_4"))
        .singleElement()
        .satisfies(d -> assertThat(d.status()).isEqualTo(DeliveryStatus.HELD));
  }

  @Test
  void anEventWithoutIdGetsOne() {
    PublishResult result = publish(null, "order.paid", Map.of());
    assertThat(result.event().id()).startsWith("evt_");
    assertThat(events.find(tenant.id(), result.event().id())).isPresent();
  }

  @Test
  void anEventAboutASubscriptionGoesToTheTenantsListenersButNotToTheSubscriptionItself() {
    Subscription failing = subscribe(List.of("*"), Map.of(), false);
    Subscription listener = subscribe(List.of("subscription.*"), Map.of(), false);
    Subscription pausedListener = subscribe(List.of("subscription.disabled"), Map.of(), true);
    subscribe(List.of("order.*"), Map.of(), false);
    Tenant other = new TenantDao(db.jdbi(), ids, clock).create("other", null);
    subscribe(other.id(), List.of("subscription.*"));

    PublishResult result = publisher.publishExcept(tenant.id(), operational("evt_op_1"), failing.id());

    assertThat(result.created()).isTrue();
    assertThat(result.event().type()).isEqualTo("subscription.disabled");
    assertThat(result.toStart()).extracting(p -> p.subscriptionId()).containsExactly(listener.id());
    assertThat(deliveries.listForEvent(tenant.id(), "evt_op_1"))
        .extracting(d -> d.subscriptionId() + ":" + d.status())
        .containsExactlyInAnyOrder(listener.id() + ":" + DeliveryStatus.PENDING,
            pausedListener.id() + ":" + DeliveryStatus.HELD);
    // Another tenant's listener matches the type but is not the owner's.
    assertThat(deliveries.listForEvent(other.id(), "evt_op_1")).isEmpty();
    assertThat(result.deliveryIds()).hasSize(2);
  }

  @Test
  void theSameOperationalEventTwiceIsOneEventEvenWhenItsBodyChanged() {
    Subscription failing = subscribe(List.of("order.*"), Map.of(), false);
    subscribe(List.of("subscription.*"), Map.of(), false);
    PublishResult first = publisher.publishExcept(tenant.id(), operational("evt_op_2"), failing.id());

    EventRequest renamed =
        new EventRequest("evt_op_2", "subscription.disabled",
            json.createObjectNode().put("name", "renamed meanwhile"), Map.of());
    PublishResult again = publisher.publishExcept(tenant.id(), renamed, failing.id());

    assertThat(again.created()).isFalse();
    assertThat(again.toStart()).isEmpty();
    assertThat(again.deliveryIds()).isEmpty();
    assertThat(again.event()).isEqualTo(first.event());
    assertThat(deliveries.listForEvent(tenant.id(), "evt_op_2")).hasSize(1);
  }

  private EventRequest operational(String id) {
    ObjectNode data = json.createObjectNode().put("subscriptionId", "sub_x").put("reason", "HTTP 503");
    return new EventRequest(id, "subscription.disabled", data, Map.of());
  }

  private Subscription subscribe(String tenantId, List<String> types) {
    Instant now = clock.instant();
    Subscription s =
        new Subscription(ids.next("sub"), tenantId, "listener", "https://hooks.example.com/h",
            types, Map.of(), Map.of(), List.of(5, 300), 5, 20, 86400, WireFormat.DEFAULT, EndpointAuth.NONE, WebhookSigner.newSecret(), null,
            null, true, false, null, null, 0, null, null, now, now);
    subscriptions.insert(s);
    return s;
  }

  private PublishResult publish(String id, String type, Map<String, String> attributes) {
    ObjectNode data = json.createObjectNode().put("orderId", "981").put("amount", 4200);
    return publisher.publish(tenant.id(), new EventRequest(id, type, data, attributes));
  }

  private Subscription subscribe(List<String> types, Map<String, String> filter, boolean paused) {
    Instant now = clock.instant();
    Subscription s =
        new Subscription(ids.next("sub"), tenant.id(), "listener", "https://hooks.example.com/h",
            types, filter, Map.of(), List.of(5, 300), 5, 20, 86400, WireFormat.DEFAULT, EndpointAuth.NONE, WebhookSigner.newSecret(), null,
            null, true, paused, null, null, 0, null, null, now, now);
    subscriptions.insert(s);
    return s;
  }
}
