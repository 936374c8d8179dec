package dev.herald.worker.e2e;

import static dev.herald.worker.e2e.ApiContractTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.ids.Ids;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationDao;
import dev.herald.core.tenant.Scope;
import dev.herald.worker.e2e.HeraldHarness.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /v1/notifications} over HTTP: newest first, paged by cursor, filtered by
 * subscription and type, 422 naming a bad parameter, and only the tenant's own. The notifications
 * are recorded as the health activities record them, through the DAO.
 */
class NotificationsApiTest {

  private static final Instant T0 = Instant.parse("2026-11-22T09:14:00Z");

  private static HeraldHarness herald;
  private static String first;
  private static String second;
  /** Every notification of the tenant, newest first. */
  private static final List<Notification> NEWEST_FIRST = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    herald = new HeraldHarness();
    first = subscription("first");
    second = subscription("second");
    String tenantId = herald.database.jdbi().withHandle(h ->
        h.createQuery("SELECT tenant_id FROM subscriptions WHERE id = :id").bind("id", first)
            .mapTo(String.class).one());
    NotificationDao dao = new NotificationDao(herald.database.jdbi());
    Ids ids = new Ids(Clock.systemUTC());
    String[][] happenings = {
        {first, Notification.FAILING}, {first, Notification.DISABLED},
        {second, Notification.FAILING}, {second, Notification.DISABLED}, {first, Notification.FAILING}};
    for (int i = 0; i < happenings.length; i++) {
      Notification n = new Notification(ids.next("ntf"), tenantId, happenings[i][1], happenings[i][0],
          "notice " + i, T0.plusSeconds(i));
      assertThat(dao.insertIfAbsent(n, "notice-" + i)).isTrue();
      NEWEST_FIRST.add(0, n);
    }
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @Test
  void theListIsNewestFirstWithEachNotificationsFields() throws Exception {
    Response r = herald.call("GET", "/v1/notifications", null);

    assertThat(r.status()).isEqualTo(200);
    assertThat(ids(r.json())).containsExactlyElementsOf(NEWEST_FIRST.stream().map(Notification::id).toList());
    assertThat(r.json().get("nextCursor").isNull()).isTrue();
    JsonNode newest = r.json().get("data").get(0);
    assertThat(newest.fieldNames()).toIterable()
        .containsExactlyInAnyOrder("id", "type", "subscriptionId", "detail", "createdAt");
    assertThat(newest.get("type").asText()).isEqualTo(Notification.FAILING);
    assertThat(newest.get("subscriptionId").asText()).isEqualTo(first);
    assertThat(newest.get("detail").asText()).isEqualTo("notice 4");
    assertThat(Instant.parse(newest.get("createdAt").asText())).isEqualTo(T0.plusSeconds(4));
  }

  @Test
  void pagesFollowTheCursorWithoutRepeatingOrSkipping() throws Exception {
    List<String> seen = new ArrayList<>();
    String path = "/v1/notifications?limit=2";
    int pages = 0;
    while (path != null) {
      Response r = herald.call("GET", path, null);
      assertThat(r.status()).isEqualTo(200);
      seen.addAll(ids(r.json()));
      pages++;
      JsonNode next = r.json().get("nextCursor");
      path = next.isNull() ? null : "/v1/notifications?limit=2&cursor=" + next.asText();
    }
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyElementsOf(NEWEST_FIRST.stream().map(Notification::id).toList());
  }

  @Test
  void filtersBySubscriptionTypeOrBoth() throws Exception {
    assertThat(ids(herald.call("GET", "/v1/notifications?subscriptionId=" + second, null).json()))
        .containsExactlyElementsOf(expected(second, null));
    assertThat(ids(herald.call("GET", "/v1/notifications?type=subscription.disabled", null).json()))
        .containsExactlyElementsOf(expected(null, Notification.DISABLED));
    assertThat(ids(herald.call("GET",
        "/v1/notifications?subscriptionId=" + first + "&type=subscription.failing&limit=1", null).json()))
        .containsExactlyElementsOf(expected(first, Notification.FAILING).subList(0, 1));
    assertThat(ids(herald.call("GET", "/v1/notifications?subscriptionId=sub_unknown", null).json())).isEmpty();
  }

  @ParameterizedTest(name = "?{0}")
  @ValueSource(strings = {"type=order.paid", "type=", "type=subscription.%2A", "subscriptionId=",
      "subscriptionId=%00", "subscriptionId=evt_1", "limit=0", "cursor=%00"})
  void aBadParameterIs422NamingIt(String query) throws Exception {
    Response r = herald.call("GET", "/v1/notifications?" + query, null);

    assertProblem(r, 422, "invalid_request");
    assertThat(r.json().get("errors")).singleElement()
        .satisfies(e -> assertThat(e.get("parameter").asText()).isEqualTo(query.substring(0, query.indexOf('='))));
  }

  @Test
  void everyBadParameterIsNamedAtOnce() throws Exception {
    Response r = herald.call("GET", "/v1/notifications?limit=x&type=nope&subscriptionId=x", null);

    assertProblem(r, 422, "invalid_request");
    List<String> named = new ArrayList<>();
    r.json().get("errors").forEach(e -> named.add(e.get("parameter").asText()));
    assertThat(named).containsExactlyInAnyOrder("limit", "type", "subscriptionId");
  }

  @Test
  void anotherTenantSeesAnEmptyListEvenFilteringOnTheSubscription() throws Exception {
    String stranger = herald.newTenantKey("stranger", null, Scope.all());

    for (String path : List.of("/v1/notifications", "/v1/notifications?subscriptionId=" + first)) {
      Response r = herald.call("GET", path, null, stranger, null);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().get("data")).isEmpty();
      assertThat(r.json().get("nextCursor").isNull()).isTrue();
    }
  }

  private static List<String> expected(String subscriptionId, String type) {
    return NEWEST_FIRST.stream()
        .filter(n -> subscriptionId == null || n.subscriptionId().equals(subscriptionId))
        .filter(n -> type == null || n.type().equals(type))
        .map(Notification::id)
        .toList();
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.get("data").forEach(n -> ids.add(n.get("id").asText()));
    return ids;
  }

  private static String subscription(String name) throws Exception {
    Response r = herald.call("POST", "/v1/subscriptions",
        "{\"name\":\"" + name + "\",\"url\":\"http://127.0.0.1:9/\",\"events\":[\"order.*\"]}");
    assertThat(r.status()).isEqualTo(201);
    return r.json().get("id").asText();
  }
}
