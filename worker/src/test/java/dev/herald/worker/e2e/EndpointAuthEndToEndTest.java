package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.receiver.RecordedRequest;
import dev.herald.worker.e2e.HeraldHarness.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A subscription's {@code auth}, through HTTP: Basic, bearer and API-key credentials arrive as a receiver
 * behind them expects; a client sees the type and the username again, never the password or the
 * token (not on create, GET, list or preview); PATCH replaces or removes them; bad ones are a 422
 * naming each field, and save nothing.
 */
class EndpointAuthEndToEndTest {

  @RegisterExtension static final ReceivingTenant tenant = new ReceivingTenant("auth");

  private static final String PASSWORD = "pä:ss wörd";
  private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo";

  @Test
  void basicCredentialsArriveAsRfc7617SaysAndAreNeverShownAgain() throws Exception {
    Response created = create(",\"auth\":{\"type\":\"basic\",\"username\":\"herald-user\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(created.json().get("auth")).isEqualTo(HeraldHarness.JSON.readTree(
        "{\"type\":\"basic\",\"username\":\"herald-user\"}"));
    String id = created.json().get("id").asText();

    RecordedRequest r = publishAndReceive(1);

    String authorization = r.header("Authorization");
    assertThat(authorization).startsWith("Basic ");
    assertThat(new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8))
        .isEqualTo("herald-user:" + PASSWORD);
    for (Response shown : List.of(created, tenant.call("GET", "/v1/subscriptions/" + id, null),
        tenant.call("GET", "/v1/subscriptions", null),
        tenant.call("POST", "/v1/subscriptions/" + id + "/preview", "{\"type\":\"order.paid\",\"data\":{}}"))) {
      assertThat(shown.json().toString()).doesNotContain("wörd").doesNotContain(authorization.substring(6));
    }
    JsonNode preview =
        tenant.call("POST", "/v1/subscriptions/" + id + "/preview", "{\"type\":\"order.paid\",\"data\":{}}").json();
    assertThat(preview.get("headers").findValuesAsText("value")).contains("Basic <hidden>");
  }

  @Test
  void aBearerTokenArrivesAndPatchReplacesOrRemovesIt() throws Exception {
    String id = create(",\"auth\":{\"type\":\"bearer\",\"token\":\"" + TOKEN + "\"}").json().get("id").asText();
    assertThat(publishAndReceive(1).header("Authorization")).isEqualTo("Bearer " + TOKEN);

    // A PATCH of another field keeps the credentials.
    assertThat(tenant.call("PATCH", "/v1/subscriptions/" + id, "{\"timeoutSeconds\":9}").json().get("auth")
        .get("type").asText()).isEqualTo("bearer");
    assertThat(publishAndReceive(2).header("Authorization")).isEqualTo("Bearer " + TOKEN);

    Response replaced = tenant.call("PATCH", "/v1/subscriptions/" + id,
        "{\"auth\":{\"type\":\"basic\",\"username\":\"u\",\"password\":\"p\"}}");
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(publishAndReceive(3).header("Authorization")).isEqualTo("Basic dTpw");

    Response removed = tenant.call("PATCH", "/v1/subscriptions/" + id, "{\"auth\":null}");
    assertThat(removed.json().get("auth").isNull()).isTrue();
    assertThat(publishAndReceive(4).header("Authorization")).isNull();
  }

  @Test
  void anApiKeyArrivesInItsOwnHeaderAndIsNeverShown() throws Exception {
    String key = "ak_" + java.util.UUID.randomUUID();
    Response created = create(",\"headers\":{\"X-Team\":\"billing\"},"
        + "\"auth\":{\"type\":\"api-key\",\"header\":\"X-Api-Key\",\"value\":\"" + key + "\"}");
    assertThat(created.json().get("auth")).isEqualTo(HeraldHarness.JSON.readTree(
        "{\"type\":\"api-key\",\"header\":\"X-Api-Key\"}"));
    String id = created.json().get("id").asText();

    RecordedRequest r = publishAndReceive(1);

    assertThat(r.header("X-Api-Key")).isEqualTo(key);
    assertThat(r.header("X-Team")).isEqualTo("billing");
    assertThat(r.header("Authorization")).isNull();
    JsonNode preview =
        tenant.call("POST", "/v1/subscriptions/" + id + "/preview", "{\"type\":\"order.paid\",\"data\":{}}").json();
    assertThat(preview.toString()).doesNotContain(key);
    assertThat(preview.get("headers").findValuesAsText("value")).contains("<hidden>", "billing");
    assertThat(tenant.call("GET", "/v1/subscriptions/" + id, null).json().toString()).doesNotContain(key);
  }

  @Test
  void badCredentialsAreA422NamingEachFieldAndSaveNothing() throws Exception {
    assertThat(pointers(body(",\"auth\":{\"type\":\"api-key\",\"header\":\"herald-attempt\",\"value\":\"v\"}")))
        .containsExactly("/auth/header");
    assertThat(pointers(body(",\"auth\":{\"type\":\"api-key\",\"header\":\"Content-Type\",\"value\":\"v\"}")))
        .containsExactly("/auth/header");
    assertThat(pointers(body(",\"headers\":{\"x-api-key\":\"v\"},"
        + "\"auth\":{\"type\":\"api-key\",\"header\":\"X-Api-Key\",\"value\":\"v\"}")))
        .containsExactly("/auth/header");
    assertThat(pointers(body(",\"signature\":{\"scheme\":\"hmac-sha256-hex\",\"header\":\"X-Sig\"},"
        + "\"auth\":{\"type\":\"api-key\",\"header\":\"x-sig\",\"value\":\"v\"}")))
        .containsExactly("/auth/header");
    assertThat(pointers(body(",\"auth\":{\"type\":\"api-key\",\"header\":\"bad header\"}")))
        .containsExactlyInAnyOrder("/auth/header", "/auth/value");
    assertThat(pointers(body(",\"auth\":{\"type\":\"digest\"}"))).containsExactly("/auth/type");
    assertThat(pointers(body(",\"auth\":{\"type\":\"basic\",\"username\":\"a:b\",\"password\":\"p\"}")))
        .containsExactly("/auth/username");
    assertThat(pointers(body(",\"auth\":{\"type\":\"basic\",\"username\":\"a\",\"token\":\"t\"}")))
        .containsExactlyInAnyOrder("/auth/token", "/auth/password");
    assertThat(pointers(body(",\"auth\":{\"type\":\"bearer\",\"token\":\"two words\"}")))
        .containsExactly("/auth/token");
    assertThat(pointers(body(",\"auth\":{\"type\":\"bearer\",\"token\":\"t\\n\"}")))
        .containsExactly("/auth/token");
    assertThat(pointers(body(",\"headers\":{\"Authorization\":\"Bearer x\"},"
        + "\"auth\":{\"type\":\"bearer\",\"token\":\"t\"}"))).containsExactly("/auth");
    assertThat(pointers(body(",\"auth\":\"Bearer t\""))).containsExactly("/auth");
    assertThat(tenant.call("GET", "/v1/subscriptions", null).json().get("data")).isEmpty();
  }

  private Response create(String extra) throws Exception {
    Response r = tenant.call("POST", "/v1/subscriptions", subscription(extra));
    assertThat(r.status()).as("%s", r.json()).isEqualTo(201);
    return r;
  }

  private Response body(String extra) throws Exception {
    return tenant.call("POST", "/v1/subscriptions", subscription(extra));
  }

  private String subscription(String extra) {
    return "{\"name\":\"auth\",\"url\":\"" + tenant.receiver().url() + "\",\"events\":[\"order.*\"]" + extra + "}";
  }

  private RecordedRequest publishAndReceive(int n) throws Exception {
    assertThat(tenant.call("POST", "/v1/events", "{\"type\":\"order.paid\",\"data\":{\"n\":" + n + "}}").status())
        .isEqualTo(202);
    return tenant.receiver().awaitRequests(n, Duration.ofSeconds(20)).get(n - 1);
  }

  private static List<String> pointers(Response r) {
    assertThat(r.status()).as("%s", r.json()).isEqualTo(422);
    return r.json().get("errors").findValuesAsText("pointer");
  }
}
