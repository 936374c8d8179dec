package dev.herald.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.event.EventRequest;
import dev.herald.core.event.PublishResult;
import dev.herald.core.flow.FlowLimits;
import dev.herald.core.subscription.EndpointAuth;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.subscription.WireFormat;
import dev.herald.model.DeliveryInput;
import dev.herald.model.DeliveryStatus;
import dev.herald.testing.db.Store;
import dev.herald.testing.db.TestDatabaseExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What PostgreSQL keeps for ordered deliveries, and how a key's next delivery is found. */
class OrderedDeliveriesTest {

  @RegisterExtension static final TestDatabaseExtension db = new TestDatabaseExtension();
  private Store store;

  @BeforeEach
  void setUp() {
    store = new Store(db.get());
  }

  @Test
  void anOrderedSubscriptionStoresItsKeyAndItsDeliveriesTheirValueAndPosition() {
    Subscription s = ordered("account");
    assertThat(store.subscriptions.findLive(s.id()).orElseThrow().orderingKey()).isEqualTo("account");

    PublishResult first = publish(s, "acct_1");
    PublishResult second = publish(s, "acct_1");
    PublishResult other = publish(s, "acct_2");
    PublishResult without = publish(s, null);

    DeliveryInput start = first.toStart().get(0);
    assertThat(start.orderingKey()).isEqualTo("acct_1");
    assertThat(start.ordered()).isTrue();
    assertThat(without.toStart().get(0).ordered()).as("no attribute: unordered").isFalse();

    OrderedHead head = store.deliveries.nextOrdered(s.id(), "acct_1").orElseThrow();
    assertThat(head.delivery().deliveryId()).isEqualTo(first.deliveryIds().get(0));
    assertThat(head.delivery().orderingKey()).isEqualTo("acct_1");
    assertThat(head.status()).isEqualTo(DeliveryStatus.PENDING);
    assertThat(head.position()).isEqualTo(position(first));

    store.execute("UPDATE deliveries SET status = 'failed' WHERE id = ?", first.deliveryIds().get(0));
    OrderedHead next = store.deliveries.nextOrdered(s.id(), "acct_1").orElseThrow();
    assertThat(next.delivery().deliveryId()).isEqualTo(second.deliveryIds().get(0));
    assertThat(next.position()).isGreaterThan(head.position());
    assertThat(store.deliveries.nextOrdered(s.id(), "acct_2").orElseThrow().delivery().deliveryId())
        .isEqualTo(other.deliveryIds().get(0));
    store.execute("UPDATE deliveries SET status = 'succeeded' WHERE id = ?", second.deliveryIds().get(0));
    assertThat(store.deliveries.nextOrdered(s.id(), "acct_1")).isEmpty();
  }

  @Test
  void aTestEventGoesUnordered() {
    Subscription s = ordered("account");
    PublishResult test = store.publisher.publishTest(s);
    assertThat(test.toStart().get(0).ordered()).isFalse();
  }

  @Test
  void aHeldDeliveryIsItsKeysNextAndKeepsTheKeyWhenReleased() {
    Subscription s = ordered("account");
    store.setPaused(s, true);
    PublishResult held = publish(s, "acct_1");
    assertThat(held.toStart()).isEmpty();
    assertThat(store.deliveries.nextOrdered(s.id(), "acct_1").orElseThrow().status())
        .isEqualTo(DeliveryStatus.HELD);

    store.setPaused(s, false);
    HeldRelease released = store.deliveries.releaseHeld(s.id(), 10, Instant.now());
    assertThat(released.released()).singleElement()
        .satisfies(d -> assertThat(d.orderingKey()).isEqualTo("acct_1"));
  }

  @Test
  void positionsFollowCommitOrderUnderConcurrentPublishers() throws Exception {
    Subscription s = ordered("account");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<PublishResult>> done = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      done.add(pool.submit(() -> publish(s, "acct_1")));
    }
    for (Future<PublishResult> f : done) {
      f.get();
    }
    pool.shutdown();
    List<Long> order = new ArrayList<>();
    while (true) {
      var head = store.deliveries.nextOrdered(s.id(), "acct_1");
      if (head.isEmpty()) {
        break;
      }
      order.add(head.get().position());
      store.execute("UPDATE deliveries SET status = 'succeeded' WHERE id = ?",
          head.get().delivery().deliveryId());
    }
    assertThat(order).hasSize(200).isSorted().doesNotHaveDuplicates();
    // The delivery's position is its event's feed position.
    List<Long> feed = store.events.feed(store.tenantId, 0, Store.typeFor(s.id()), 500).stream()
        .map(e -> e.position()).toList();
    assertThat(order).isEqualTo(feed);
  }

  @Test
  void aKeyWhoseNextDeliveryStoppedIsStalledAndOnlyThen() {
    Subscription s = ordered("account");
    PublishResult first = publish(s, "acct_1");
    publish(s, "acct_1");
    Instant later = Instant.now().plusSeconds(60);
    List<OrderedKey> stalled = store.deliveries.findStalledKeys(later, null, 100).stream()
        .filter(k -> k.subscriptionId().equals(s.id())).toList();
    assertThat(stalled).singleElement().satisfies(k -> {
      assertThat(k.key()).isEqualTo("acct_1");
      assertThat(k.headDeliveryId()).isEqualTo(first.deliveryIds().get(0));
      assertThat(k.tenantId()).isEqualTo(store.tenantId);
    });
    // Ordered deliveries waiting their turn are not overdue one by one.
    assertThat(store.deliveries.findOverdue(later, 100))
        .noneMatch(d -> d.subscriptionId().equals(s.id()));
    // Retrying with its next attempt ahead: moving, not stalled.
    store.execute("UPDATE deliveries SET status = 'retrying', next_attempt_at = ? WHERE id = ?",
        java.sql.Timestamp.from(later.plusSeconds(60)), first.deliveryIds().get(0));
    assertThat(store.deliveries.findStalledKeys(later, null, 100))
        .noneMatch(k -> k.subscriptionId().equals(s.id()));
  }

  private long position(PublishResult r) {
    return store.events.feed(store.tenantId, 0, null, 1000).stream()
        .filter(e -> e.event().id().equals(r.event().id()))
        .findFirst().orElseThrow().position();
  }

  private PublishResult publish(Subscription s, String account) {
    return store.publisher.publish(store.tenantId, new EventRequest(null, Store.typeFor(s.id()),
        store.json.createObjectNode(), account == null ? Map.of() : Map.of("account", account)));
  }

  private Subscription ordered(String attribute) {
    Instant now = store.clock.instant();
    String id = store.ids.next("sub");
    Subscription s = new Subscription(id, store.tenantId, "ordered", "https://hooks.example.com/h",
        List.of(Store.typeFor(id)), Map.of(), dev.herald.core.subscription.CustomHeaders.NONE,
        List.of(5, 300), 5, 20, 86400, WireFormat.DEFAULT, EndpointAuth.NONE,
        dev.herald.core.signing.WebhookSigner.newSecret(), null, null, true, false, null, null, 0,
        null, null, now, now, Subscription.Kind.SUBSCRIPTION, FlowLimits.NONE, attribute, null);
    store.subscriptions.insert(s);
    return s;
  }
}
