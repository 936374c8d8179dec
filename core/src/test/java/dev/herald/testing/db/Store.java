package dev.herald.testing.db;

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
import dev.herald.core.subscription.EndpointAuth;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.subscription.SubscriptionDao;
import dev.herald.core.subscription.WireFormat;
import dev.herald.core.tenant.TenantDao;
import dev.herald.model.DeliveryStatus;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Herald's store wired over a test database, with one tenant, and the few moves tests make to
 * set a scene: subscriptions that each listen to a type of their own, events published through
 * the real {@link EventPublisher}, and deliveries put into a given state or time.
 */
public final class Store {

  public final TestDatabase db;
  public final ObjectMapper json = new ObjectMapper();
  public final Clock clock = Clock.systemUTC();
  public final Ids ids = new Ids(clock);
  public final SubscriptionDao subscriptions;
  public final DeliveryDao deliveries;
  public final EventDao events;
  public final EventPublisher publisher;
  public final String tenantId;

  public Store(TestDatabase db) {
    this.db = db;
    subscriptions = new SubscriptionDao(db.jdbi(), json, new SecretCipher(SecretKeyRing.generate()));
    deliveries = new DeliveryDao(db.jdbi(), subscriptions);
    events = new EventDao(db.jdbi(), json);
    publisher = new EventPublisher(db.jdbi(), events, subscriptions, deliveries, json, ids, clock,
        HeraldMetrics.none());
    tenantId = new TenantDao(db.jdbi(), ids, clock).create("acme", null).id();
  }

  /** The event type the subscription {@code subscriptionId} alone listens to. */
  public static String typeFor(String subscriptionId) {
    return "order." + subscriptionId;
  }

  /** A subscription of the tenant to {@link #typeFor its own type}, schedule [5, 300]. */
  public Subscription subscription(boolean paused) {
    Instant now = clock.instant();
    String id = ids.next("sub");
    Subscription s =
        new Subscription(id, tenantId, "listener", "https://hooks.example.com/h",
            List.of(typeFor(id)), Map.of(), Map.of(), List.of(5, 300), 5, 20, 86400,
            WireFormat.DEFAULT, EndpointAuth.NONE, WebhookSigner.newSecret(), null, null, true, paused, null, null, 0, null, null, now, now);
    subscriptions.insert(s);
    return s;
  }

  /** Publishes {@code count} events of the subscription's type; their deliveries, in order. */
  public List<String> publish(Subscription s, int count) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String eventId =
          publisher
              .publish(tenantId, new EventRequest(null, typeFor(s.id()), json.createObjectNode(), Map.of()))
              .event()
              .id();
      deliveries.listForEvent(tenantId, eventId).stream()
          .filter(d -> d.subscriptionId().equals(s.id()))
          .forEach(d -> out.add(d.id()));
    }
    return out;
  }

  public void setPaused(Subscription s, boolean paused) {
    execute("UPDATE subscriptions SET is_paused = ? WHERE id = ?", paused, s.id());
  }

  public DeliveryStatus statusOf(String deliveryId) {
    return deliveries.findById(deliveryId).orElseThrow().status();
  }

  public void setCreatedAt(String deliveryId, Instant at) {
    execute("UPDATE deliveries SET created_at = ? WHERE id = ?", Timestamp.from(at), deliveryId);
  }

  /** Ends a delivery {@code status} after three attempts, as if created at {@code createdAt}. */
  public void setFinished(String deliveryId, String status, Instant createdAt) {
    execute(
        "UPDATE deliveries SET status = ?, attempt_count = 3, created_at = ?, completed_at = ?,"
            + " next_attempt_at = NULL WHERE id = ?",
        status, Timestamp.from(createdAt), Timestamp.from(createdAt.plusSeconds(60)), deliveryId);
  }

  public void execute(String sql, Object... args) {
    db.jdbi().useHandle(h -> h.execute(sql, args));
  }
}
