package dev.herald.worker.e2e;

import static dev.herald.worker.e2e.ApiContractTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.worker.cli.HeraldCli;
import dev.herald.worker.cli.HeraldCli.Run;
import dev.herald.worker.e2e.HeraldHarness.Response;
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

    assertProblem(call("GET", "/v1/subscriptions/" + subscriptionId, null, key), 403, "webhooks_disabled");
    assertProblem(call("POST", "/v1/subscriptions", SUBSCRIPTION, key), 403, "webhooks_disabled");
    assertProblem(call("POST", "/v1/events", EVENT, key), 403, "webhooks_disabled");
    // Another tenant is not affected.
    assertThat(herald.call("POST", "/v1/events", EVENT).status()).isEqualTo(202);

    Run on = cli("update", tenantId, "--webhooks-enabled", "true");
    assertThat(on.exitCode()).as(on.toString()).isZero();

    assertThat(call("GET", "/v1/subscriptions/" + subscriptionId, null, key).status()).isEqualTo(200);
    assertThat(call("POST", "/v1/subscriptions", SUBSCRIPTION, key).status()).isEqualTo(201);
    assertThat(call("POST", "/v1/events", EVENT, key).status()).isEqualTo(202);
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
