package dev.herald.worker.e2e;

import static dev.herald.worker.e2e.ApiContractTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationDao;
import dev.herald.core.tenant.Scope;
import dev.herald.worker.e2e.ApiRoutes.Route;
import dev.herald.worker.e2e.HeraldHarness.Response;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A tenant sees only its own resources: another tenant, with every scope, gets 404 on each route
 * that names the first tenant's resources (and changes nothing), and empty lists.
 */
class TenantIsolationTest {

  private static HeraldHarness herald;
  private static String owner;
  private static String stranger;
  private static Map<String, String> ids;
  private static JsonNode ownersSubscription;

  @BeforeAll
  static void start() throws Exception {
    herald = new HeraldHarness();
    owner = herald.newTenantKey("owner", null, Scope.all());
    stranger = herald.newTenantKey("stranger", null, Scope.all());
    Response sub = herald.call("POST", "/v1/subscriptions",
        "{\"name\":\"owners-private-name\",\"url\":\"http://127.0.0.1:9/\",\"events\":[\"*\"],\"headers\":{\"X-A\":\"1\"}}",
        owner, "application/json");
    String subscriptionId = sub.json().get("id").asText();
    herald.call("PATCH", "/v1/subscriptions/" + subscriptionId, "{\"isPaused\":true}", owner, "application/json");
    herald.call("POST", "/v1/events", "{\"id\":\"evt_owned\",\"type\":\"order.paid\",\"data\":{}}",
        owner, "application/json");
    JsonNode event = herald.call("GET", "/v1/events/evt_owned", null, owner, null).json();
    String job = herald.call("POST", "/v1/subscriptions/" + subscriptionId + "/recover",
        "{\"since\":\"2026-01-01T00:00:00Z\",\"until\":\"2026-01-02T00:00:00Z\"}", owner,
        "application/json").json().get("jobId").asText();
    ids = Map.of(
        "subscription", subscriptionId,
        "event", "evt_owned",
        "delivery", event.get("deliveries").get(0).get("id").asText(),
        "finished", event.get("deliveries").get(0).get("id").asText(),
        "job", job);
    ownersSubscription = herald.call("GET", "/v1/subscriptions/" + subscriptionId, null, owner, null).json();
    // Only the health workflow tells owners anything; the owner's list must not be empty.
    String ownerTenant = herald.database.jdbi().withHandle(h ->
        h.createQuery("SELECT tenant_id FROM subscriptions WHERE id = :id").bind("id", subscriptionId)
            .mapTo(String.class).one());
    new NotificationDao(herald.database.jdbi()).insertIfAbsent(
        new Notification("ntf_owned", ownerTenant, Notification.DISABLED, subscriptionId,
            "owners-private-name was disabled", Instant.now()),
        "isolation:" + subscriptionId);
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  static Stream<Route> routesNamingAResource() {
    return ApiRoutes.ALL.stream().filter(Route::namesAResource);
  }

  static Stream<Route> lists() {
    return ApiRoutes.ALL.stream().filter(Route::list);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routesNamingAResource")
  void anotherTenantsResourceIsNotFound(Route route) throws Exception {
    Response r = herald.call(route.method(), route.path(ids), route.body(), stranger, "application/json");
    assertProblem(r, 404, "not_found");
    assertThat(r.json().get("detail").asText()).doesNotContain("owners-private-name");
    // The owner's resources are as they were.
    assertThat(herald.call("GET", "/v1/subscriptions/" + ids.get("subscription"), null, owner, null).json())
        .isEqualTo(ownersSubscription);
    assertThat(herald.call("GET", "/v1/deliveries/" + ids.get("delivery"), null, owner, null).json()
        .get("status").asText()).isEqualTo("held");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lists")
  void anotherTenantsListIsEmpty(Route route) throws Exception {
    JsonNode mine = herald.call(route.method(), route.path(ids), null, owner, null).json();
    assertThat(mine.get("data")).isNotEmpty();
    Response theirs = herald.call(route.method(), route.path(ids), null, stranger, null);
    assertThat(theirs.status()).isEqualTo(200);
    assertThat(theirs.json().get("data")).isEmpty();
    assertThat(theirs.json().get("nextCursor").isNull()).isTrue();
  }

  @Test
  void anEventIdIsPerTenant() throws Exception {
    // Not the stranger: its event feed must stay empty for anotherTenantsListIsEmpty.
    String other = herald.newTenantKey("other", null, Scope.all());
    herald.call("POST", "/v1/events", "{\"id\":\"evt_shared_id\",\"type\":\"order.paid\",\"data\":{}}",
        owner, "application/json");
    Response theirs = herald.call("POST", "/v1/events",
        "{\"id\":\"evt_shared_id\",\"type\":\"other.type\",\"data\":{\"x\":1}}", other, "application/json");
    assertThat(theirs.status()).as("not a conflict: another tenant's ids are not seen").isEqualTo(202);
    assertThat(herald.call("GET", "/v1/events/evt_shared_id", null, owner, null).json().get("type").asText())
        .isEqualTo("order.paid");
    assertThat(herald.call("GET", "/v1/events/evt_shared_id", null, other, null).json().get("type").asText())
        .isEqualTo("other.type");
  }
}
