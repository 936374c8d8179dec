package dev.herald.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.herald.testing.db.TestDatabaseExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The feed's positions: gap-free and per tenant, kept by a repeat, and in commit order however
 * the publishing transactions interleave, so that a reader following the cursor never skips or
 * repeats an event.
 */
class EventFeedTest {

  @RegisterExtension static final TestDatabaseExtension db = new TestDatabaseExtension();
  private final ObjectMapper json = new ObjectMapper();
  private final Clock clock = Clock.systemUTC();
  private final Ids ids = new Ids(clock);
  private SubscriptionDao subscriptions;
  private EventDao events;
  private EventPublisher publisher;
  private TenantDao tenants;
  private Tenant tenant;

  @BeforeEach
  void setUp() {
    subscriptions = new SubscriptionDao(db.jdbi(), json, new SecretCipher(SecretKeyRing.generate()));
    events = new EventDao(db.jdbi(), json);
    publisher =
        new EventPublisher(db.jdbi(), events, subscriptions, new DeliveryDao(db.jdbi(), subscriptions),
            json, ids, clock, HeraldMetrics.none());
    tenants = new TenantDao(db.jdbi(), ids, clock);
    tenant = tenants.create("acme", null);
  }

  @Test
  void positionsCountFromOneWithoutGapsInEachTenantAndEveryPublishingPathButTheTestTakesOne() {
    Tenant other = tenants.create("other", null);
    Subscription target = subscribe(List.of("order.*"));
    publish(tenant, "evt_a1", "order.paid");
    publish(other, "evt_b1", "order.paid");
    publish(tenant, null, "order.shipped");
    String test = publisher.publishTest(target).event().id();
    publish(other, "evt_b2", "invoice.sent");
    publisher.publishExcept(tenant.id(),
        new EventRequest("evt_a4", "subscription.disabled", json.createObjectNode(), Map.of()),
        target.id());

    List<FeedEntry> mine = events.feed(tenant.id(), 0, null, 100);
    // A test event is delivered but kept out of the feed: it takes no position.
    assertThat(mine).extracting(FeedEntry::position).containsExactly(1L, 2L, 3L);
    assertThat(mine).extracting(e -> e.event().id())
        .startsWith("evt_a1").doesNotContain(test).endsWith("evt_a4");
    assertThat(events.feed(other.id(), 0, null, 100))
        .extracting(e -> e.position() + ":" + e.event().id())
        .containsExactly("1:evt_b1", "2:evt_b2");
  }

  @Test
  void aRepeatedPublishKeepsItsPositionAndAConflictTakesNone() {
    publish(tenant, "evt_once", "order.paid");
    publish(tenant, "evt_next", "order.paid");
    assertThat(publish(tenant, "evt_once", "order.paid").created()).isFalse();
    assertThatThrownBy(() -> publish(tenant, "evt_once", "order.refunded"))
        .isInstanceOf(EventIdConflictException.class);
    publisher.publishExcept(tenant.id(),
        new EventRequest("evt_next", "subscription.disabled", json.createObjectNode(), Map.of()),
        "sub_none");
    publish(tenant, "evt_last", "order.paid");

    assertThat(events.feed(tenant.id(), 0, null, 100))
        .extracting(e -> e.position() + ":" + e.event().id())
        .containsExactly("1:evt_once", "2:evt_next", "3:evt_last");
  }

  @Test
  void theFeedStartsAfterTheGivenPositionAndFiltersByExactTypeOrPrefix() {
    publish(tenant, "evt_1", "order.paid");
    publish(tenant, "evt_2", "invoice.sent");
    publish(tenant, "evt_3", "order.shipped");
    publish(tenant, "evt_4", "orderx.paid");
    publish(tenant, "evt_5", "order_paid");

    assertThat(feedIds(0, null, 2)).containsExactly("evt_1", "evt_2");
    assertThat(feedIds(2, null, 100)).containsExactly("evt_3", "evt_4", "evt_5");
    assertThat(feedIds(5, null, 100)).isEmpty();
    assertThat(feedIds(0, "order.paid", 100)).containsExactly("evt_1");
    assertThat(feedIds(0, "order.*", 100)).containsExactly("evt_1", "evt_3");
    assertThat(feedIds(1, "order.*", 100)).containsExactly("evt_3");
    assertThat(feedIds(0, "order*", 100)).containsExactly("evt_1", "evt_3", "evt_4", "evt_5");
    // '_' and '.' are literal: LIKE's wildcard must not let order_* match order.paid.
    assertThat(feedIds(0, "order_*", 100)).containsExactly("evt_5");
    assertThat(feedIds(0, "*", 100)).hasSize(5);
  }

  /**
   * A publish whose transaction is held open (its delivery waits on a lock another connection
   * holds on its subscription) after its event row is written: events created after it commit
   * first and are read, then it commits. It takes a later position than all of them, though it
   * was created first and its id sorts first, and the reader, already past them, still gets it.
   */
  @Test
  void aSlowTransactionTakesItsPlaceAtCommitAndIsNotSkippedByAReaderAlreadyPastIt() throws Exception {
    Subscription slowTarget = subscribe(List.of("slow.*"));
    publish(tenant, "evt_before", "order.paid");
    long cursor = last(events.feed(tenant.id(), 0, null, 100));

    Future<PublishResult> slow;
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Handle blocker = db.jdbi().open()) {
      blocker.begin();
      blocker.createQuery("SELECT id FROM subscriptions WHERE id = :id FOR UPDATE")
          .bind("id", slowTarget.id()).mapTo(String.class).one();
      slow = pool.submit(() -> publish(tenant, "evt_0_slow", "slow.thing"));
      awaitBlockedTransactions(1);

      for (int i = 1; i <= 3; i++) {
        String id = "evt_" + i + "_quick";
        // Bounded: were the slow one holding the tenant's feed lock, this would wait for it.
        CompletableFuture.supplyAsync(() -> publish(tenant, id, "order.paid")).get(10, TimeUnit.SECONDS);
      }
      List<FeedEntry> quick = events.feed(tenant.id(), cursor, null, 100);
      assertThat(quick).extracting(e -> e.event().id())
          .containsExactly("evt_1_quick", "evt_2_quick", "evt_3_quick");
      cursor = last(quick);
      blocker.rollback();
    }
    PublishResult slowResult;
    try {
      slowResult = slow.get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    List<FeedEntry> after = events.feed(tenant.id(), cursor, null, 100);
    assertThat(after).extracting(e -> e.position() + ":" + e.event().id()).containsExactly("5:evt_0_slow");
    Instant quickCreated = events.find(tenant.id(), "evt_1_quick").orElseThrow().createdAt();
    assertThat(slowResult.event().createdAt()).isBeforeOrEqualTo(quickCreated);
  }

  /**
   * The position goes to the server with COMMIT: when the call returns, the event is in the feed
   * for another connection and the tenant's row is free for the next publish, with no trip back
   * to this process in between (a busy publisher's thread would otherwise hold every other
   * publish of the tenant until it got the CPU again to send COMMIT).
   */
  @Test
  void takingThePositionCommitsSoTheTenantIsFreeBeforeThePublisherIsScheduledAgain() {
    Event event = new Event(tenant.id(), "evt_positioned", "order.paid", "{}", Map.of(), 0, clock.instant());
    db.jdbi().useTransaction(h -> {
      assertThat(events.insertWithDeliveries(h, event, "hash", List.of(), List.of(), Set.of())).isTrue();
      events.assignPositionAndCommit(h, tenant.id(), event.id(), false);

      try (Handle other = db.jdbi().open()) {
        other.begin();
        assertThat(other.createQuery("SELECT id FROM tenants WHERE id = :id FOR UPDATE NOWAIT")
                .bind("id", tenant.id()).mapTo(String.class).one())
            .as("the tenant's feed lock, taken by another publish without waiting")
            .isEqualTo(tenant.id());
        other.rollback();
      }
      assertThat(events.feed(tenant.id(), 0, null, 10)).extracting(e -> e.position() + ":" + e.event().id())
          .containsExactly("1:evt_positioned");
    });
    assertThat(events.feed(tenant.id(), 0, null, 10)).hasSize(1);
  }

  /**
   * A publish made while its caller is inside a transaction of its own commits alone: taking the
   * feed position commits the publishing transaction, which must not be the caller's, or the
   * caller's work so far would be committed with it and the rest left outside any transaction.
   */
  @Test
  void aPublishInsideACallersTransactionCommitsAloneAndLeavesTheCallersWhole() {
    Subscription other = subscribe(List.of("invoice.*"));
    assertThatThrownBy(() -> db.jdbi().useTransaction(outer -> {
      outer.execute("UPDATE subscriptions SET name = 'renamed' WHERE id = ?", other.id());
      publish(tenant, "evt_inside", "order.paid");
      throw new IllegalStateException("the caller fails after the publish");
    })).hasMessage("the caller fails after the publish");

    String name = db.jdbi().withHandle(h -> h.createQuery("SELECT name FROM subscriptions WHERE id = :id")
        .bind("id", other.id()).mapTo(String.class).one());
    assertThat(name).as("the caller's update, undone with its transaction").isEqualTo("listener");
    assertThat(feedIds(0, null, 10)).containsExactly("evt_inside");
  }

  /**
   * Eight publishers at once, a few of them slowed down as above, while a reader follows the
   * cursor: the reader gets every event once, each page starting right after the last position it
   * read, and a publish that returned before another began has the earlier position.
   */
  @Test
  void aReaderFollowingTheCursorDuringConcurrentPublishesSeesEveryEventOnceInCommitOrder()
      throws Exception {
    int threads = 8;
    int perThread = 50;
    Subscription slowTarget = subscribe(List.of("slow.*"));
    Map<String, long[]> timings = Collections.synchronizedMap(new HashMap<>());
    List<String> read = Collections.synchronizedList(new ArrayList<>());
    List<Long> positions = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean publishersDone = new AtomicBoolean();
    int readBeforeRelease;
    ExecutorService pool = Executors.newFixedThreadPool(threads + 4);
    try (Handle blocker = db.jdbi().open()) {
      blocker.begin();
      blocker.createQuery("SELECT id FROM subscriptions WHERE id = :id FOR UPDATE")
          .bind("id", slowTarget.id()).mapTo(String.class).one();
      List<Future<?>> slow = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String id = "evt_slow_" + i;
        slow.add(pool.submit(() -> timed(timings, id, "slow.thing")));
      }
      awaitBlockedTransactions(3);

      Future<?> reader = pool.submit(() -> {
        long cursor = 0;
        boolean caughtUp = false;
        while (!caughtUp) {
          boolean finalPass = publishersDone.get();
          List<FeedEntry> page = events.feed(tenant.id(), cursor, null, 37);
          for (FeedEntry e : page) {
            assertThat(e.position()).as("the page continues right after the cursor").isEqualTo(cursor + 1);
            cursor = e.position();
            read.add(e.event().id());
            positions.add(e.position());
          }
          caughtUp = finalPass && page.isEmpty();
        }
        return null;
      });
      List<Future<?>> publishers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        publishers.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            timed(timings, "evt_t" + thread + "_" + i, i % 2 == 0 ? "order.paid" : "invoice.sent");
          }
          return null;
        }));
      }
      // Release the slow ones once the reader has gone well past where they were created.
      awaitSize(read, threads * perThread / 2);
      readBeforeRelease = read.size();
      blocker.rollback();
      for (Future<?> f : slow) {
        f.get(60, TimeUnit.SECONDS);
      }
      for (Future<?> f : publishers) {
        f.get(120, TimeUnit.SECONDS);
      }
      publishersDone.set(true);
      reader.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    int total = threads * perThread + 3;
    assertThat(read).hasSize(total).doesNotHaveDuplicates();
    assertThat(new HashSet<>(read)).isEqualTo(timings.keySet());
    Map<String, Long> position = new HashMap<>();
    for (int i = 0; i < read.size(); i++) {
      position.put(read.get(i), positions.get(i));
    }
    assertThat(positions).isSortedAccordingTo(Long::compare);
    assertThat(positions.get(total - 1)).isEqualTo(total);
    for (int i = 0; i < 3; i++) {
      assertThat(read.indexOf("evt_slow_" + i))
          .as("a slow transaction takes its place when it commits, after what was read meanwhile")
          .isGreaterThanOrEqualTo(readBeforeRelease);
    }
    List<String> violations = new ArrayList<>();
    for (Map.Entry<String, long[]> a : timings.entrySet()) {
      for (Map.Entry<String, long[]> b : timings.entrySet()) {
        boolean aFinishedBeforeBBegan = a.getValue()[1] < b.getValue()[0];
        if (aFinishedBeforeBBegan && position.get(a.getKey()) > position.get(b.getKey())) {
          violations.add(a.getKey() + " committed before " + b.getKey() + " began, yet comes after it");
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  /** Publishes, recording when the call began and when it returned (after its commit). */
  private Void timed(Map<String, long[]> timings, String id, String type) {
    long began = System.nanoTime();
    publish(tenant, id, type);
    timings.put(id, new long[] {began, System.nanoTime()});
    return null;
  }

  private void awaitBlockedTransactions(int n) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (blockedTransactions() < n) {
      assertThat(Instant.now()).as("%d publishes waiting on the subscription's lock", n).isBefore(deadline);
      Thread.sleep(20);
    }
  }

  private int blockedTransactions() {
    return db.jdbi().withHandle(h ->
        h.createQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock'")
            .mapTo(Integer.class).one());
  }

  private static void awaitSize(List<?> list, int size) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (list.size() < size) {
      assertThat(Instant.now()).as("the reader reaching %d events", size).isBefore(deadline);
      Thread.sleep(10);
    }
  }

  private static long last(List<FeedEntry> page) {
    return page.get(page.size() - 1).position();
  }

  private List<String> feedIds(long after, String type, int limit) {
    return events.feed(tenant.id(), after, type, limit).stream().map(e -> e.event().id()).toList();
  }

  private PublishResult publish(Tenant t, String id, String type) {
    return publisher.publish(t.id(),
        new EventRequest(id, type, json.createObjectNode().put("orderId", "981"), Map.of()));
  }

  private Subscription subscribe(List<String> types) {
    Instant now = clock.instant();
    Subscription s =
        new Subscription(ids.next("sub"), tenant.id(), "listener", "https://hooks.example.com/h",
            types, Map.of(), Map.of(), List.of(5, 300), 5, 20, 86400, WireFormat.DEFAULT, EndpointAuth.NONE, WebhookSigner.newSecret(), null,
            null, true, false, null, null, 0, null, null, now, now);
    subscriptions.insert(s);
    return s;
  }
}
