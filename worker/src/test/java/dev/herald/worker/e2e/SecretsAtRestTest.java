package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.standardwebhooks.Webhook;
import dev.herald.core.crypto.SecretCipher;
import dev.herald.core.crypto.SecretKeyRing;
import dev.herald.core.subscription.SubscriptionDao;
import dev.herald.core.tenant.OneOffSecretDao;
import dev.herald.testing.db.TestDatabase;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import dev.herald.testing.receiver.RecordedRequest;
import dev.herald.testing.tls.TestPki;
import dev.herald.worker.cli.HeraldCli;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stolen database dump reveals no endpoint secret and no API key; rotating the key that seals
 * the secrets leaves every subscription verifiable by its endpoint.
 */
class SecretsAtRestTest {

  private static final String PASSWORD = "pw-" + java.util.UUID.randomUUID();
  private static final String TOKEN = "tok-" + java.util.UUID.randomUUID();
  private static final String CLIENT_SECRET = "cs-" + java.util.UUID.randomUUID();
  private static final String API_KEY = "ak-" + java.util.UUID.randomUUID();
  private static final String HEADER_VALUE = "hv-" + java.util.UUID.randomUUID();
  private static final String ONE_OFF_SECRET = "whsec_" + Base64.getEncoder().encodeToString(
      java.util.UUID.randomUUID().toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  private static final TestPki.Credential CLIENT = TestPki.authority("Vault CA").client("vault-client");

  private TestDatabase database;
  private LoopbackReceiver receiver;

  @BeforeEach
  void start() {
    database = TestDatabase.create();
    receiver = LoopbackReceiver.start();
    receiver.setDefault(ReceiverResponse.status(204));
  }

  @AfterEach
  void stop() {
    receiver.close();
    database.close();
  }

  @Test
  void aDumpOfEveryTableHoldsNoSecretAndNoKeyAndRotationKeepsDeliveriesVerifiable() throws Exception {
    String firstKey = SecretKeyRing.newKey();
    String apiKey;
    String original;
    String rotated;
    String subscriptionId;
    String mtlsId;
    try (HeraldHarness herald = HeraldHarness.on(database, firstKey)) {
      apiKey = herald.apiKey;
      JsonNode created = herald.call("POST", "/v1/subscriptions",
          "{\"name\":\"vault\",\"url\":\"" + receiver.url() + "\",\"events\":[\"order.*\"]}").json();
      subscriptionId = created.get("id").asText();
      original = created.get("secret").asText();
      rotated = herald.call("POST", "/v1/subscriptions/" + subscriptionId + "/rotate-secret",
          "{\"graceSeconds\":3600}").json().get("secret").asText();
      // Endpoint credentials: a Basic password and a bearer token, sealed like the secrets.
      herald.call("POST", "/v1/subscriptions",
          "{\"name\":\"basic\",\"url\":\"" + receiver.url() + "\",\"events\":[\"other.*\"],"
              + "\"auth\":{\"type\":\"basic\",\"username\":\"vault-user\",\"password\":\"" + PASSWORD + "\"}}");
      herald.call("POST", "/v1/subscriptions",
          "{\"name\":\"bearer\",\"url\":\"" + receiver.url() + "\",\"events\":[\"other.*\"],"
              + "\"auth\":{\"type\":\"bearer\",\"token\":\"" + TOKEN + "\"}}");
      herald.call("POST", "/v1/subscriptions",
          "{\"name\":\"oauth\",\"url\":\"" + receiver.url() + "\",\"events\":[\"never.*\"],"
              + "\"auth\":{\"type\":\"oauth2-client-credentials\",\"tokenUrl\":\"" + receiver.url("/token")
              + "\",\"clientId\":\"vault-client\",\"clientSecret\":\"" + CLIENT_SECRET + "\"}}");
      herald.call("POST", "/v1/subscriptions",
          "{\"name\":\"api-key\",\"url\":\"" + receiver.url() + "\",\"events\":[\"never.*\"],"
              + "\"auth\":{\"type\":\"api-key\",\"header\":\"X-Api-Key\",\"value\":\"" + API_KEY + "\"}}");
      // A secret custom header, the tenant's one-off secret and a one-off delivery's own secret.
      herald.call("POST", "/v1/subscriptions",
          "{\"name\":\"secret-header\",\"url\":\"" + receiver.url() + "\",\"events\":[\"never.*\"],"
              + "\"headers\":{\"X-Vault-Key\":{\"value\":\"" + HEADER_VALUE + "\",\"secret\":true}}}");
      String oneOffTenantSecret =
          herald.call("POST", "/v1/one-off-secret", "{}").json().get("secret").asText();
      assertThat(herald.call("POST", "/v1/deliveries",
          "{\"url\":\"" + receiver.url("/one-off") + "\",\"type\":\"run.done\",\"data\":{},"
              + "\"secret\":\"" + ONE_OFF_SECRET + "\"}").status()).isEqualTo(202);
      ObjectNode mtls = HeraldHarness.JSON.createObjectNode();
      mtls.put("name", "mtls");
      mtls.put("url", "https://127.0.0.1:" + receiver.port() + "/mtls");
      mtls.putArray("events").add("never.*");
      mtls.putObject("auth").put("type", "mtls").put("certificate", CLIENT.certificatePem())
          .put("privateKey", CLIENT.keyPem());
      mtlsId = herald.call("POST", "/v1/subscriptions", mtls.toString()).json().get("id").asText();
      herald.call("POST", "/v1/events", "{\"type\":\"order.paid\",\"data\":{\"n\":1}}");
      receiver.awaitRequests(2, Duration.ofSeconds(20));

      String dump = dumpEveryTable();
      assertThat(dump).contains("X-Api-Key").doesNotContain(API_KEY);
      assertThat(dump).contains("X-Vault-Key").doesNotContain(HEADER_VALUE);
      for (String secret : List.of(oneOffTenantSecret, ONE_OFF_SECRET)) {
        assertThat(dump).doesNotContain(secret).doesNotContain(secret.substring("whsec_".length()));
      }
      // The client certificate is kept as it is; no line of its private key is anywhere.
      assertThat(dump).contains(CLIENT.certificatePem().split("\n")[1]);
      for (String keyLine : CLIENT.keyPem().split("\n")) {
        assertThat(dump).doesNotContain(keyLine.startsWith("-----") ? "PRIVATE KEY" : keyLine);
      }
      assertThat(dump).contains("vault-user").contains("vault-client")
          .doesNotContain(PASSWORD).doesNotContain(TOKEN).doesNotContain(CLIENT_SECRET);
      for (String secret : List.of(original, rotated)) {
        assertThat(dump).doesNotContain(secret).doesNotContain(secret.substring("whsec_".length()));
      }
      assertThat(dump).doesNotContain(apiKey).doesNotContain(apiKey.substring("hrk_".length()));
      assertThat(dump).doesNotContain(firstKey);
      assertThat(dump).contains("hsec:v1:" + SecretKeyRing.parse(firstKey, null).currentId());
    }

    // herald secrets rotate-key, as an operator runs it: the new key, with the old one to open.
    String secondKey = SecretKeyRing.newKey();
    SecretCipher both = new SecretCipher(SecretKeyRing.parse(secondKey, firstKey));
    int resealed = new SubscriptionDao(database.jdbi(), HeraldHarness.JSON, both).resealSecrets(100);
    assertThat(resealed)
        .as("the signing secrets' subscription, the five with credentials, the one with a secret"
            + " header, and the one-off delivery's target")
        .isEqualTo(8);
    assertThat(new OneOffSecretDao(database.jdbi(), both).resealSecrets()).isEqualTo(1);
    assertThat(dumpEveryTable()).contains("hsec:v1:" + SecretKeyRing.parse(secondKey, null).currentId())
        .doesNotContain("hsec:v1:" + SecretKeyRing.parse(firstKey, null).currentId());

    // Herald now runs with the new key alone, and the endpoint still verifies what it gets.
    try (HeraldHarness herald = HeraldHarness.on(database, secondKey)) {
      int before = receiver.requests().size();
      herald.call("POST", "/v1/subscriptions/" + subscriptionId + "/test", null, apiKey, "application/json");
      RecordedRequest test = receiver.awaitRequests(before + 1, Duration.ofSeconds(20)).get(before);
      new Webhook(rotated).verify(test.bodyUtf8(), SubscriptionApiTest.headersOf(test));
      new Webhook(original).verify(test.bodyUtf8(), SubscriptionApiTest.headersOf(test));

      // The client certificate's key, re-sealed with the new key, still opens.
      assertThat(herald.call("GET", "/v1/subscriptions/" + mtlsId, null, apiKey, null).json()
          .get("auth").get("subject").asText()).isEqualTo(CLIENT.subject());

      // The credentials, re-sealed with the new key, still open: they arrive as they were given.
      herald.call("POST", "/v1/events", "{\"type\":\"other.thing\",\"data\":{}}", apiKey, "application/json");
      List<RecordedRequest> credentialed = receiver.awaitRequests(before + 3, Duration.ofSeconds(20))
          .subList(before + 1, before + 3);
      assertThat(credentialed).extracting(r -> r.header("authorization")).containsExactlyInAnyOrder(
          "Basic " + Base64.getEncoder().encodeToString(("vault-user:" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
          "Bearer " + TOKEN);
    }
  }

  @Test
  void theKeyCommandsMakeAKeyAndRefuseToRotateWithoutOne() {
    HeraldCli.Run made = HeraldCli.run("secrets", "new-key");
    assertThat(made.exitCode()).isZero();
    assertThat(Base64.getDecoder().decode(made.out().trim())).hasSize(32);
    assertThat(SecretKeyRing.parse(made.out().trim(), null).currentId()).hasSize(8);

    HeraldCli.Run refused = HeraldCli.run("secrets", "rotate-key", "--database-url", database.jdbcUrl());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("HERALD_SECRET_KEY");
  }

  @Test
  void heraldRefusesToStartWithoutAValidKey() {
    String tooShort = Base64.getEncoder().encodeToString(new byte[16]);
    Throwable failure = null;
    try (HeraldHarness ignored = HeraldHarness.on(database, tooShort)) {
      // started: the assertion below fails
    } catch (Throwable e) {
      failure = e;
    }
    assertThat(failure).as("the start fails").isNotNull();
    List<String> messages = new ArrayList<>();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      messages.add(String.valueOf(t.getMessage()));
    }
    assertThat(String.join(" | ", messages)).contains("Herald cannot start")
        .contains("HERALD_SECRET_KEY must be 32 bytes").doesNotContain(tooShort);
  }

  /** Every row of every table, as text: what a dump of the database would reveal. */
  private String dumpEveryTable() {
    return database.jdbi().withHandle(h -> {
      StringBuilder all = new StringBuilder();
      for (String table : h.createQuery(
              "SELECT tablename FROM pg_tables WHERE schemaname = 'public'").mapTo(String.class).list()) {
        h.createQuery("SELECT row_to_json(t)::text FROM \"" + table + "\" t").mapTo(String.class)
            .forEach(row -> all.append(table).append(": ").append(row).append('\n'));
      }
      return all.toString();
    });
  }
}
