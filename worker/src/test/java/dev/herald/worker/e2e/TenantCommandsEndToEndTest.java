package dev.herald.worker.e2e;

import static dev.herald.worker.e2e.ApiContractTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.worker.cli.HeraldCli;
import dev.herald.worker.cli.HeraldCli.Run;
import dev.herald.worker.e2e.HeraldHarness.Response;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keys and tenant switches made with {@code herald tenant …} act on the running API at once. */
class TenantCommandsEndToEndTest {

  private static final String SUBSCRIPTION =
      "{\"name\":\"orders\",\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"order.*\"]}";
  // Matches no subscription: publishing it creates no delivery to chase.
  private static final String EVENT = "{\"type\":\"invoice.sent\",\"data\":{\"n\":1}}";

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
  void aReadOnlyKeyReadsButCannotWriteOrPublishAndIsRefusedOnceRevoked() throws Exception {
    Run created = cli("create", "read-only-tenant");
    String tenantId = created.value("tenant");
    String fullKey = created.value("key");
    String subscriptionId = subscribe(fullKey);

    Run issued = cli("key", tenantId, "--scopes", "webhooks:read");
    assertThat(issued.exitCode()).as(issued.toString()).isZero();
    String readKey = issued.value("key");

    assertThat(call("GET", "/v1/subscriptions/" + subscriptionId, null, readKey).status()).isEqualTo(200);
    Response write = call("POST", "/v1/subscriptions", SUBSCRIPTION, readKey);
    assertProblem(write, 403, "insufficient_scope");
    assertThat(write.json().get("detail").asText()).contains("webhooks:write");
    Response publish = call("POST", "/v1/events", EVENT, readKey);
    assertProblem(publish, 403, "insufficient_scope");
    assertThat(publish.json().get("detail").asText()).contains("events:publish");

    Run revoked = cli("revoke-key", issued.value("prefix"));
    assertThat(revoked.exitCode()).as(revoked.toString()).isZero();

    // The API trusts a key it has read for HERALD_API_KEY_CACHE_SECONDS (5): no longer than that.
    Duration stoppedAfter = untilStatus(401, () -> call("GET", "/v1/subscriptions/" + subscriptionId, null, readKey));
    assertThat(stoppedAfter).isLessThan(CACHE_BOUND);
    assertProblem(call("GET", "/v1/subscriptions/" + subscriptionId, null, readKey), 401, "unauthenticated");
    assertThat(call("GET", "/v1/subscriptions/" + subscriptionId, null, fullKey).status()).isEqualTo(200);
  }

  @Test
  void switchingATenantsWebhooksOffRefusesEveryCallUntilTheyAreSwitchedOnAgain() throws Exception {
    Run created = cli("create", "switched-tenant");
    String tenantId = created.value("tenant");
    String key = created.value("key");
    String subscriptionId = subscribe(key);

    Run off = cli("update", tenantId, "--webhooks-enabled", "false");
    assertThat(off.exitCode()).as(off.toString()).isZero();
    assertThat(untilStatus(403, () -> call("GET", "/v1/subscriptions/" + subscriptionId, null, key)))
        .isLessThan(CACHE_BOUND);

    assertProblem(call("GET", "/v1/subscriptions/" + subscriptionId, null, key), 403, "webhooks_disabled");
    assertProblem(call("POST", "/v1/subscriptions", SUBSCRIPTION, key), 403, "webhooks_disabled");
    assertProblem(call("POST", "/v1/events", EVENT, key), 403, "webhooks_disabled");
    // Another tenant is not affected.
    assertThat(herald.call("POST", "/v1/events", EVENT).status()).isEqualTo(202);

    Run on = cli("update", tenantId, "--webhooks-enabled", "true");
    assertThat(on.exitCode()).as(on.toString()).isZero();
    assertThat(untilStatus(200, () -> call("GET", "/v1/subscriptions/" + subscriptionId, null, key)))
        .isLessThan(CACHE_BOUND);

    assertThat(call("GET", "/v1/subscriptions/" + subscriptionId, null, key).status()).isEqualTo(200);
    assertThat(call("POST", "/v1/subscriptions", SUBSCRIPTION, key).status()).isEqualTo(201);
    assertThat(call("POST", "/v1/events", EVENT, key).status()).isEqualTo(202);
  }

  /** The API's key cache (5 s) and a second for the calls around it. */
  private static final Duration CACHE_BOUND = Duration.ofSeconds(6);

  /** How long until {@code call} answers {@code status}; fails past twice the bound. */
  private static Duration untilStatus(int status, Callable<Response> call) throws Exception {
    long start = System.nanoTime();
    while (call.call().status() != status) {
      if (System.nanoTime() - start > CACHE_BOUND.multipliedBy(2).toNanos()) {
        throw new AssertionError("still not " + status + " after " + CACHE_BOUND.multipliedBy(2));
      }
      Thread.sleep(100);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private static Run cli(String... args) {
    Run run = HeraldCli.tenant(herald.databaseUrl(), args);
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return run;
  }

  private static String subscribe(String key) throws Exception {
    Response created = call("POST", "/v1/subscriptions", SUBSCRIPTION, key);
    assertThat(created.status()).as("%s", created.json()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  private static Response call(String method, String path, String body, String key) throws Exception {
    return herald.call(method, path, body, key, "application/json");
  }
}
