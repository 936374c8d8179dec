package dev.herald.worker.e2e;

import static dev.herald.worker.e2e.ApiContractTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.ids.Ids;
import dev.herald.core.tenant.Scope;
import dev.herald.core.tenant.TenantDao;
import dev.herald.worker.e2e.ApiRoutes.Route;
import dev.herald.worker.e2e.HeraldHarness.Response;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route × every scope: a key with only the route's scope is let through (and the request
 * succeeds), a key with any other single scope gets 403 {@code insufficient_scope} naming the
 * scope; no key is 401; a tenant whose webhooks are switched off gets 403 {@code
 * webhooks_disabled} everywhere.
 */
class ScopeMatrixTest {

  private static HeraldHarness herald;
  private static String fullKey;
  private static final Map<Scope, String> KEYS = new EnumMap<>(Scope.class);
  private static String disabledTenantKey;
  private static final AtomicInteger EVENTS = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    herald = new HeraldHarness();
    TenantDao tenants = new TenantDao(herald.database.jdbi(), new Ids(Clock.systemUTC()), Clock.systemUTC());
    var tenant = tenants.create("matrix", null);
    fullKey = tenants.issueKey(tenant.id(), Scope.all()).key();
    for (Scope scope : Scope.values()) {
      KEYS.put(scope, tenants.issueKey(tenant.id(), Set.of(scope)).key());
    }
    var off = tenants.create("switched-off", null);
    disabledTenantKey = tenants.issueKey(off.id(), Scope.all()).key();
    herald.database.jdbi().useHandle(h ->
        h.execute("UPDATE tenants SET webhooks_enabled = false WHERE id = ?", off.id()));
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  static Stream<Arguments> routesAndScopes() {
    return ApiRoutes.ALL.stream()
        .flatMap(route -> Arrays.stream(Scope.values()).map(scope -> Arguments.of(route, scope)));
  }

  @ParameterizedTest(name = "{0} with only {1}")
  @MethodSource("routesAndScopes")
  void aKeyPassesExactlyWhereItsScopeIsNeeded(Route route, Scope scope) throws Exception {
    Response r = herald.call(route.method(), route.path(freshResources()), route.body(), KEYS.get(scope),
        "application/json");
    if (scope == route.scope()) {
      assertThat(r.status()).as("%s with %s: %s", route, scope, r.json()).isBetween(200, 299);
    } else {
      assertProblem(r, 403, "insufficient_scope");
      assertThat(r.json().get("detail").asText()).contains(route.scope().wireName());
    }
  }

  static Stream<Route> routes() {
    return ApiRoutes.ALL.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void withoutAKeyEveryRouteIsUnauthenticated(Route route) throws Exception {
    Map<String, String> ids = freshResources();
    assertProblem(herald.call(route.method(), route.path(ids), route.body(), null, "application/json"),
        401, "unauthenticated");
    assertProblem(herald.call(route.method(), route.path(ids), route.body(), "hrk_not-a-key", "application/json"),
        401, "unauthenticated");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void aTenantWhoseWebhooksAreOffIsRefusedEverywhere(Route route) throws Exception {
    assertProblem(herald.call(route.method(), route.path(freshResources()), route.body(), disabledTenantKey,
        "application/json"), 403, "webhooks_disabled");
  }

  @Test
  void theMatrixCoversEveryRouteTheApiServes() {
    Map<String, String> served = new TreeMap<>();
    ServedRoutes.of(herald).forEach((route, scope) -> scope.ifPresent(s -> served.put(route, s)));
    Map<String, String> table = new TreeMap<>();
    ApiRoutes.ALL.forEach(r -> table.put(r.signature(), r.scope().wireName()));
    assertThat(table).as("ApiRoutes.ALL against the routes Jersey serves with a scope").isEqualTo(served);
  }

  /**
   * A paused subscription with a held delivery, a cancelled one and a recovery job of an empty
   * window, made with the full key.
   */
  private static Map<String, String> freshResources() throws Exception {
    Response sub = herald.call("POST", "/v1/subscriptions",
        "{\"name\":\"m\",\"url\":\"http://127.0.0.1:9/\",\"events\":[\"matrix.*\"]}", fullKey, "application/json");
    String id = sub.json().get("id").asText();
    herald.call("PATCH", "/v1/subscriptions/" + id, "{\"isPaused\":true}", fullKey, "application/json");
    String eventId = "evt_matrix_" + EVENTS.incrementAndGet();
    herald.call("POST", "/v1/events", "{\"id\":\"" + eventId + "\",\"type\":\"matrix.x\",\"data\":{}}",
        fullKey, "application/json");
    JsonNode event = herald.call("GET", "/v1/events/" + eventId, null, fullKey, null).json();
    String finishedEvent = eventId + "_finished";
    herald.call("POST", "/v1/events", "{\"id\":\"" + finishedEvent + "\",\"type\":\"matrix.x\",\"data\":{}}",
        fullKey, "application/json");
    String finished = herald.call("GET", "/v1/events/" + finishedEvent, null, fullKey, null).json()
        .get("deliveries").get(0).get("id").asText();
    herald.call("POST", "/v1/deliveries/" + finished + "/cancel", null, fullKey, null);
    String job = herald.call("POST", "/v1/subscriptions/" + id + "/recover",
        "{\"since\":\"2026-01-01T00:00:00Z\",\"until\":\"2026-01-02T00:00:00Z\"}", fullKey,
        "application/json").json().get("jobId").asText();
    return Map.of("subscription", id, "event", eventId,
        "delivery", event.get("deliveries").get(0).get("id").asText(), "finished", finished, "job", job);
  }
}
