package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.RecordedRequest;
import dev.herald.testing.receiver.ReceiverResponse;
import dev.herald.worker.e2e.HeraldHarness.Response;
import io.dropwizard.testing.ConfigOverride;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OAuth 2.0 client credentials through HTTP, with a token endpoint on loopback: one token serves
 * many attempts; a new one is fetched at expiry and after a 401; a token endpoint that fails is
 * the attempt's error {@code auth} with its status, retried on the schedule; a token URL on a
 * refused address is a 422 when saved and {@code blocked_address} when connected to; the client
 * secret is never shown.
 */
class OAuth2EndToEndTest {

  @RegisterExtension static final ReceivingTenant tenant = new ReceivingTenant("oauth");

  private LoopbackReceiver tokens;
  private final AtomicInteger issued = new AtomicInteger();

  @BeforeEach
  void tokenEndpoint() {
    tokens = LoopbackReceiver.start();
  }

  @AfterEach
  void closeTokenEndpoint() {
    tokens.close();
  }

  /** Answers each token request with the next token, tok-1, tok-2, …, living {@code seconds}. */
  private void issueTokens(int seconds) {
    tokens.setDefault(request -> ReceiverResponse.status(200)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"access_token\":\"tok-" + issued.incrementAndGet()
            + "\",\"token_type\":\"Bearer\",\"expires_in\":" + seconds + "}"));
  }

  @Test
  void oneTokenServesManyAttemptsAndTheSecretIsNeverShown() throws Exception {
    issueTokens(3600);
    Response created = create(",\"scope\":\"hooks:write\",\"audience\":\"https://hooks.example\"");
    assertThat(created.json().get("auth")).isEqualTo(HeraldHarness.JSON.readTree(
        "{\"type\":\"oauth2-client-credentials\",\"tokenUrl\":\"" + tokens.url("/token") + "\","
            + "\"clientId\":\"herald\",\"scope\":\"hooks:write\",\"audience\":\"https://hooks.example\","
            + "\"clientAuthentication\":\"basic\"}"));
    assertThat(created.json().toString()).doesNotContain("s3cr");

    for (int i = 1; i <= 5; i++) {
      publish(i);
    }
    List<RecordedRequest> received = tenant.receiver().awaitRequests(5, Duration.ofSeconds(20));

    assertThat(received).extracting(r -> r.header("Authorization")).containsOnly("Bearer tok-1");
    assertThat(tokens.requests()).hasSize(1);
    RecordedRequest tokenRequest = tokens.requests().get(0);
    assertThat(tokenRequest.method()).isEqualTo("POST");
    assertThat(tokenRequest.path()).isEqualTo("/token");
    assertThat(tokenRequest.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    assertThat(tokenRequest.bodyUtf8()).isEqualTo(
        "grant_type=client_credentials&scope=hooks%3Awrite&audience=https%3A%2F%2Fhooks.example");
    // RFC 6749 2.3.1: id and secret form-encoded, then joined and sent as Basic.
    assertThat(new String(Base64.getDecoder().decode(tokenRequest.header("Authorization").substring(6)),
        StandardCharsets.UTF_8)).isEqualTo("herald:s3cr%3Aet");
  }

  @Test
  void aNewTokenIsFetchedAtExpiryAndAfterA401() throws Exception {
    issueTokens(2);
    // The endpoint refuses tok-2 once, as if it had been revoked.
    tenant.receiver().setDefault(request -> "Bearer tok-2".equals(request.header("Authorization"))
        ? ReceiverResponse.status(401) : ReceiverResponse.status(204));
    create("");

    publish(1);
    assertThat(tenant.receiver().awaitRequests(1, Duration.ofSeconds(20)).get(0).header("Authorization"))
        .isEqualTo("Bearer tok-1");
    Thread.sleep(2_500);
    String eventId = publish(2);
    List<RecordedRequest> received = tenant.receiver().awaitRequests(3, Duration.ofSeconds(20));

    assertThat(received).extracting(r -> r.header("Authorization"))
        .containsExactly("Bearer tok-1", "Bearer tok-2", "Bearer tok-3");
    assertThat(tokens.requests()).hasSize(3);
    JsonNode delivery = awaitFinished(eventId);
    assertThat(delivery.get("status").asText()).isEqualTo("succeeded");
    assertThat(attempts(delivery)).hasSize(1).first()
        .satisfies(a -> assertThat(a.get("statusCode").asInt()).isEqualTo(204));
  }

  @Test
  void aTokenEndpointThatFailsIsErrorAuthWithItsStatusRetriedOnTheSchedule() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    tokens.setDefault(request -> asked.incrementAndGet() <= 2
        ? ReceiverResponse.status(503).withBody("{\"error\":\"temporarily_unavailable\"}")
        : ReceiverResponse.status(200).withBody("{\"access_token\":\"tok-ok\",\"token_type\":\"bearer\"}"));
    create(",\"clientAuthentication\":\"post\"", ",\"retrySchedule\":[1,1]");

    JsonNode delivery = awaitFinished(publish(1));

    assertThat(delivery.get("status").asText()).isEqualTo("succeeded");
    List<JsonNode> attempts = attempts(delivery);
    assertThat(attempts).extracting(a -> a.get("error").isNull() ? null : a.get("error").asText())
        .containsExactly("auth", "auth", null);
    assertThat(attempts).extracting(a -> a.get("statusCode").asInt()).containsExactly(503, 503, 204);
    assertThat(attempts.get(0).get("responseBody").asText()).contains("the token endpoint answered 503");
    assertThat(tenant.receiver().requests()).hasSize(1);
    assertThat(tenant.receiver().requests().get(0).header("Authorization")).isEqualTo("Bearer tok-ok");
    // Form post: the client's id and secret in the body, no Basic header.
    assertThat(tokens.requests().get(0).bodyUtf8())
        .isEqualTo("grant_type=client_credentials&client_id=herald&client_secret=s3cr%3Aet");
    assertThat(tokens.requests().get(0).header("Authorization")).isNull();
  }

  @Test
  void aTokenUrlOnARefusedAddressIsA422AndBadFieldsAreNamed() throws Exception {
    Response refused = tenant.call("POST", "/v1/subscriptions", subscription(
        "{\"type\":\"oauth2-client-credentials\",\"tokenUrl\":\"http://169.254.169.254/token\","
            + "\"clientId\":\"herald\",\"clientSecret\":\"s\"}", ""));
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json().get("code").asText()).isEqualTo("blocked_address");
    assertThat(refused.json().get("errors").get(0).get("pointer").asText()).isEqualTo("/auth/tokenUrl");

    Response bad = tenant.call("POST", "/v1/subscriptions", subscription(
        "{\"type\":\"oauth2-client-credentials\",\"clientId\":\"herald\",\"clientAuthentication\":\"jwt\"}", ""));
    assertThat(bad.json().get("errors").findValuesAsText("pointer"))
        .containsExactlyInAnyOrder("/auth/tokenUrl", "/auth/clientSecret", "/auth/clientAuthentication");
    assertThat(tenant.call("GET", "/v1/subscriptions", null).json().get("data")).isEmpty();
  }

  @Test
  void aTokenUrlRefusedAtConnectIsErrorBlockedAddressAndNothingIsAsked() throws Exception {
    issueTokens(3600);
    // Saved where loopback is allowed; sent by a Herald on the same database whose guard no longer
    // allows 127.0.0.0/8, as after a change of allowed networks or a name that now resolves there.
    create("", ",\"maxRetries\":0,\"retryDelaySeconds\":1");
    try (HeraldHarness guarded = HeraldHarness.on(tenant.herald().database, HeraldHarness.SECRET_KEY,
        ConfigOverride.config("security.allowedNetworks", "::1/128"),
        ConfigOverride.config("worker.sweepGraceSeconds", "3600"))) {
      Response published = guarded.call("POST", "/v1/events",
          "{\"type\":\"order.paid\",\"data\":{}}", tenant.key(), "application/json");
      assertThat(published.status()).isEqualTo(202);
      String eventId = published.json().get("id").asText();
      JsonNode delivery = guarded.awaitJson("/v1/deliveries?eventId=" + eventId,
          d -> d.get("data").size() == 1 && d.get("data").get(0).get("status").asText().equals("failed"),
          Duration.ofSeconds(30), tenant.key()).get("data").get(0);
      JsonNode attempt = guarded.call("GET", "/v1/deliveries/" + delivery.get("id").asText(), null,
          tenant.key(), null).json().get("attempts").get(0);

      assertThat(attempt.get("error").asText()).isEqualTo("blocked_address");
      assertThat(attempt.get("responseBody").asText()).contains("token");
      assertThat(tokens.requests()).isEmpty();
      assertThat(tenant.receiver().requests()).isEmpty();
    }
  }

  private Response create(String extraAuth) throws Exception {
    return create(extraAuth, "");
  }

  private Response create(String extraAuth, String extra) throws Exception {
    Response r = tenant.call("POST", "/v1/subscriptions", subscription(
        "{\"type\":\"oauth2-client-credentials\",\"tokenUrl\":\"" + tokens.url("/token") + "\","
            + "\"clientId\":\"herald\",\"clientSecret\":\"s3cr:et\"" + extraAuth + "}", extra));
    assertThat(r.status()).as("%s", r.json()).isEqualTo(201);
    return r;
  }

  private String subscription(String auth, String extra) {
    return "{\"name\":\"oauth\",\"url\":\"" + tenant.receiver().url() + "\",\"events\":[\"order.*\"],"
        + "\"auth\":" + auth + extra + "}";
  }

  private String publish(int n) throws Exception {
    Response r = tenant.call("POST", "/v1/events", "{\"type\":\"order.paid\",\"data\":{\"n\":" + n + "}}");
    assertThat(r.status()).isEqualTo(202);
    return r.json().get("id").asText();
  }

  private JsonNode awaitFinished(String eventId) throws Exception {
    return tenant.herald().awaitJson("/v1/deliveries?eventId=" + eventId,
        d -> d.get("data").size() == 1
            && List.of("succeeded", "failed").contains(d.get("data").get(0).get("status").asText()),
        Duration.ofSeconds(30), tenant.key()).get("data").get(0);
  }

  private List<JsonNode> attempts(JsonNode delivery) throws Exception {
    List<JsonNode> out = new java.util.ArrayList<>();
    tenant.call("GET", "/v1/deliveries/" + delivery.get("id").asText(), null).json().get("attempts")
        .forEach(out::add);
    return out;
  }
}
