package dev.herald.worker.e2e;

import static dev.herald.worker.e2e.ApiContractTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.tenant.Scope;
import dev.herald.worker.e2e.HeraldHarness.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /v1/events} over HTTP: the feed oldest first, paged with {@code after} or {@code
 * cursor}, filtered by type, an empty page that keeps the cursor, 422 naming each bad parameter, only the tenant's own
 * events, and a reader following the cursor while many publishers run at once that gets every
 * event exactly once in commit order. Each test has its own tenant, so its feed holds only what
 * the test published.
 */
class EventFeedApiTest {

  private static HeraldHarness herald;

  @BeforeAll
  static void start() throws Exception {
    herald = new HeraldHarness();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @Test
  void theFeedIsOldestFirstAndPagesFollowAfterUntilAnEmptyPageThatKeepsTheCursor() throws Exception {
    String key = tenant("pager");
    List<String> published = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      published.add(publish(key, "evt_page_" + (6 - i), i % 2 == 0 ? "invoice.sent" : "order.paid"));
    }

    List<String> seen = new ArrayList<>();
    String after = null;
    List<Integer> sizes = new ArrayList<>();
    JsonNode page;
    do {
      page = feed(key, "limit=2" + (after == null ? "" : "&after=" + after));
      page.get("data").forEach(e -> seen.add(e.get("id").asText()));
      sizes.add(page.get("data").size());
      String next = page.get("nextCursor").asText();
      if (page.get("data").isEmpty()) {
        assertThat(next).as("an empty page answers the after it was given").isEqualTo(after);
      }
      after = next;
    } while (!page.get("data").isEmpty());

    assertThat(seen).as("publish order, not id order").containsExactlyElementsOf(published);
    assertThat(sizes).containsExactly(2, 2, 1, 0);
    // Later events continue from the cursor the empty page kept.
    String later = publish(key, "evt_page_later", "order.paid");
    assertThat(ids(feed(key, "after=" + after))).containsExactly(later);
  }

  @Test
  void eachItemIsTheEventWithoutItsDeliveries() throws Exception {
    String key = tenant("shape");
    assertThat(herald.call("POST", "/v1/events",
        "{\"id\":\"evt_order_981_paid\",\"type\":\"order.paid\",\"data\":{\"orderId\":\"981\",\"amount\":4200},"
            + "\"attributes\":{\"workspaceId\":\"w_42\"}}", key, "application/json").status()).isEqualTo(202);

    JsonNode item = feed(key, "").get("data").get(0);
    JsonNode single = herald.call("GET", "/v1/events/evt_order_981_paid", null, key, null).json();
    assertThat(item.fieldNames()).toIterable()
        .containsExactlyInAnyOrder("id", "type", "createdAt", "data", "attributes");
    for (String field : List.of("id", "type", "createdAt", "data", "attributes")) {
      assertThat(item.get(field)).as(field).isEqualTo(single.get(field));
    }
    assertThat(item.get("data").get("amount").asInt()).isEqualTo(4200);
    assertThat(item.get("attributes").get("workspaceId").asText()).isEqualTo("w_42");
  }

  @Test
  void theTypeFilterTakesAnExactTypeOrAPrefix() throws Exception {
    String key = tenant("filter");
    String paid = publish(key, null, "order.paid");
    publish(key, null, "invoice.sent");
    String shipped = publish(key, null, "order.shipped");
    String orderx = publish(key, null, "orderx.paid");
    String underscore = publish(key, null, "order_paid");

    assertThat(ids(feed(key, "type=order.paid"))).containsExactly(paid);
    assertThat(ids(feed(key, "type=order.*"))).containsExactly(paid, shipped);
    assertThat(ids(feed(key, "type=order_*"))).containsExactly(underscore);
    assertThat(ids(feed(key, "type=order*"))).containsExactly(paid, shipped, orderx, underscore);
    assertThat(ids(feed(key, "type=*"))).hasSize(5);
    JsonNode first = feed(key, "type=order.*&limit=1");
    assertThat(ids(first)).containsExactly(paid);
    assertThat(ids(feed(key, "type=order.*&after=" + first.get("nextCursor").asText())))
        .containsExactly(shipped);
    JsonNode none = feed(key, "type=refund.*");
    assertThat(none.get("data")).isEmpty();
    assertThat(none.get("nextCursor").isNull()).as("no after given, none answered").isTrue();
  }

  @ParameterizedTest(name = "?{0}")
  @ValueSource(strings = {"limit=0", "limit=101", "limit=x", "after=x", "after=ZmVlZDotMQ",
      "after=MTc2NDE0NjQ0MDAwMDpudGZfYWJj", "type=", "type=Order.paid", "type=order.*.x",
      "type=*x", "type=order%25"})
  void aBadParameterIs422NamingIt(String query) throws Exception {
    Response r = herald.call("GET", "/v1/events?" + query, null);

    assertProblem(r, 422, "invalid_request");
    assertThat(r.json().get("errors")).singleElement()
        .satisfies(e -> assertThat(e.get("parameter").asText()).isEqualTo(query.substring(0, query.indexOf('='))));
  }

  @Test
  void cursorIsAcceptedLikeAfterAsOnEveryList() throws Exception {
    String key = tenant("cursor");
    String first = publish(key, null, "order.paid");
    String second = publish(key, null, "order.paid");
    String third = publish(key, null, "order.paid");

    JsonNode page = feed(key, "limit=1");
    String cursor = page.get("nextCursor").asText();
    assertThat(ids(page)).containsExactly(first);
    assertThat(ids(feed(key, "limit=1&cursor=" + cursor))).containsExactly(second);
    assertThat(ids(feed(key, "limit=1&after=" + cursor))).containsExactly(second);
    assertThat(ids(feed(key, "limit=1&cursor=" + cursor + "&after=" + cursor))).containsExactly(second);
    String next = feed(key, "limit=1&cursor=" + cursor).get("nextCursor").asText();
    assertThat(ids(feed(key, "cursor=" + next))).containsExactly(third);

    Response both = herald.call("GET", "/v1/events?cursor=" + cursor + "&after=" + next, null, key, null);
    assertProblem(both, 422, "invalid_request");
    assertThat(both.json().get("errors")).singleElement()
        .satisfies(e -> assertThat(e.get("parameter").asText()).isEqualTo("after"));
    Response bad = herald.call("GET", "/v1/events?cursor=nope", null, key, null);
    assertProblem(bad, 422, "invalid_request");
    assertThat(bad.json().get("errors")).singleElement()
        .satisfies(e -> assertThat(e.get("parameter").asText()).isEqualTo("cursor"));
  }

  @Test
  void publishingRefusesUnknownFieldsNamingEach() throws Exception {
    String key = tenant("unknown");
    Response r = herald.call("POST", "/v1/events",
        "{\"type\":\"order.paid\",\"data\":{},\"attribute\":{\"a\":\"b\"},\"eventType\":\"x\"}",
        key, "application/json");
    assertProblem(r, 422, "invalid_request");
    assertThat(r.json().get("errors").findValuesAsText("pointer"))
        .containsExactlyInAnyOrder("/attribute", "/eventType");
    assertThat(feed(key, "").get("data")).as("nothing was published").isEmpty();
  }

  @Test
  void everyBadParameterIsNamedAtOnce() throws Exception {
    Response r = herald.call("GET", "/v1/events?limit=500&after=nope&type=Nope", null);

    assertProblem(r, 422, "invalid_request");
    List<String> named = new ArrayList<>();
    r.json().get("errors").forEach(e -> named.add(e.get("parameter").asText()));
    assertThat(named).containsExactlyInAnyOrder("limit", "after", "type");
  }

  @Test
  void anotherTenantSeesNothingOfThisTenantsFeedEvenWithItsCursor() throws Exception {
    String owner = tenant("owner");
    String stranger = tenant("stranger");
    publish(owner, "evt_private_1", "order.paid");
    publish(owner, "evt_private_2", "order.paid");
    JsonNode first = feed(owner, "limit=1");
    assertThat(ids(first)).containsExactly("evt_private_1");

    JsonNode theirs = feed(stranger, "");
    assertThat(theirs.get("data")).isEmpty();
    assertThat(theirs.get("nextCursor").isNull()).isTrue();
    JsonNode withCursor = feed(stranger, "after=" + first.get("nextCursor").asText());
    assertThat(withCursor.get("data")).isEmpty();
    assertThat(feed(stranger, "type=order.*").get("data")).isEmpty();
  }

  /**
   * Eight publishers, fifty events each, over HTTP, while a reader follows the cursor; three
   * more publishes are held open mid-transaction (their deliveries wait on a lock this test holds
   * on their subscription) until the reader is well past where they were created. The reader
   * gets every event once; the held ones after all it read before they were let go; and a
   * publish answered before another was sent comes first.
   */
  @Test
  void aReaderFollowingTheCursorDuringManyConcurrentPublishesGetsEveryEventOnceInCommitOrder()
      throws Exception {
    String key = tenant("busy");
    int threads = 8;
    int perThread = 50;
    Response slowSubscription = herald.call("POST", "/v1/subscriptions",
        "{\"name\":\"slow\",\"url\":\"http://127.0.0.1:9/\",\"events\":[\"slow.*\"]}", key, "application/json");
    assertThat(slowSubscription.status()).isEqualTo(201);
    String slowSubscriptionId = slowSubscription.json().get("id").asText();

    Map<String, long[]> timings = Collections.synchronizedMap(new HashMap<>());
    List<String> read = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean publishersDone = new AtomicBoolean();
    int readBeforeRelease;
    ExecutorService pool = Executors.newFixedThreadPool(threads + 4);
    try (Handle blocker = herald.database.jdbi().open()) {
      blocker.begin();
      blocker.createQuery("SELECT id FROM subscriptions WHERE id = :id FOR UPDATE")
          .bind("id", slowSubscriptionId).mapTo(String.class).one();
      List<Future<?>> slow = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String id = "evt_slow_" + i;
        slow.add(pool.submit(() -> timedPublish(key, id, "slow.thing", timings)));
      }
      awaitTransactionsWaitingOnALock(3);

      Future<?> reader = pool.submit(() -> {
        String after = null;
        boolean caughtUp = false;
        while (!caughtUp) {
          boolean finalPass = publishersDone.get();
          JsonNode page = feed(key, "limit=25" + (after == null ? "" : "&after=" + after));
          page.get("data").forEach(e -> read.add(e.get("id").asText()));
          after = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
          caughtUp = finalPass && page.get("data").isEmpty();
        }
        return null;
      });
      List<Future<?>> publishers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        publishers.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            timedPublish(key, "evt_t" + thread + "_" + i, i % 2 == 0 ? "order.paid" : "invoice.sent", timings);
          }
          return null;
        }));
      }
      awaitSize(read, threads * perThread / 2);
      readBeforeRelease = read.size();
      blocker.rollback();
      for (Future<?> f : slow) {
        f.get(60, TimeUnit.SECONDS);
      }
      for (Future<?> f : publishers) {
        f.get(180, TimeUnit.SECONDS);
      }
      publishersDone.set(true);
      reader.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    assertThat(read).hasSize(threads * perThread + 3).doesNotHaveDuplicates();
    assertThat(new HashSet<>(read)).isEqualTo(timings.keySet());
    for (int i = 0; i < 3; i++) {
      assertThat(read.indexOf("evt_slow_" + i))
          .as("a held publish takes its place when it commits, after what was read meanwhile")
          .isGreaterThanOrEqualTo(readBeforeRelease);
    }
    List<String> violations = new ArrayList<>();
    for (Map.Entry<String, long[]> a : timings.entrySet()) {
      for (Map.Entry<String, long[]> b : timings.entrySet()) {
        if (a.getValue()[1] < b.getValue()[0] && read.indexOf(a.getKey()) > read.indexOf(b.getKey())) {
          violations.add(a.getKey() + " was answered before " + b.getKey() + " was sent, yet comes after it");
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void theCursorIsOpaqueToClientsButStable() throws Exception {
    String key = tenant("opaque");
    publish(key, "evt_o1", "order.paid");
    String cursor = feed(key, "").get("nextCursor").asText();
    assertThat(cursor).matches("[A-Za-z0-9_-]+");
    // The same place in the feed gives the same cursor, however it was reached.
    assertThat(feed(key, "type=order.paid").get("nextCursor").asText()).isEqualTo(cursor);
  }

  private static Void timedPublish(String key, String id, String type, Map<String, long[]> timings)
      throws Exception {
    long sent = System.nanoTime();
    publish(key, id, type);
    timings.put(id, new long[] {sent, System.nanoTime()});
    return null;
  }

  private static void awaitTransactionsWaitingOnALock(int n) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (herald.database.jdbi().withHandle(h ->
        h.createQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock'").mapTo(Integer.class).one()) < n) {
      assertThat(Instant.now()).as("%d publishes waiting on the subscription's lock", n).isBefore(deadline);
      Thread.sleep(20);
    }
  }

  private static void awaitSize(List<?> list, int size) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    while (list.size() < size) {
      assertThat(Instant.now()).as("the reader reaching %d events", size).isBefore(deadline);
      Thread.sleep(10);
    }
  }

  private static String tenant(String name) {
    return herald.newTenantKey(name, null, Scope.all());
  }

  /** Publishes; returns the event id. */
  private static String publish(String key, String id, String type) throws Exception {
    String body = "{" + (id == null ? "" : "\"id\":\"" + id + "\",") + "\"type\":\"" + type
        + "\",\"data\":{\"n\":1}}";
    Response r = herald.call("POST", "/v1/events", body, key, "application/json");
    assertThat(r.status()).as("publish %s: %s", type, r.json()).isEqualTo(202);
    return r.json().get("id").asText();
  }

  private static JsonNode feed(String key, String query) throws Exception {
    Response r = herald.call("GET", "/v1/events" + (query.isEmpty() ? "" : "?" + query), null, key, null);
    assertThat(r.status()).as("feed ?%s: %s", query, r.json()).isEqualTo(200);
    return r.json();
  }

  static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.get("data").forEach(e -> ids.add(e.get("id").asText()));
    return ids;
  }
}
