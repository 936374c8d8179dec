package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.receiver.RecordedRequest;
import dev.herald.worker.e2e.HeraldHarness.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A subscription's custom header marked secret, through HTTP: it arrives as given, is shown as
 * {@code {"secret": true}} alone (create, GET, preview), and what GET shows can be sent back in a
 * PATCH without losing the value.
 */
class SecretHeadersEndToEndTest {

  @RegisterExtension static final ReceivingTenant tenant = new ReceivingTenant("headers");

  private static final String VALUE = "k_live_" + java.util.UUID.randomUUID();

  @Test
  void aSecretHeaderArrivesIsMaskedEverywhereAndSurvivesAPatchOfWhatGetShowed() throws Exception {
    Response created = tenant.call("POST", "/v1/subscriptions",
        "{\"name\":\"h\",\"url\":\"" + tenant.receiver().url() + "\",\"events\":[\"order.*\"],"
            + "\"headers\":{\"X-Team\":\"billing\",\"X-Api-Key\":{\"value\":\"" + VALUE + "\",\"secret\":true}}}");
    assertThat(created.status()).as("%s", created.json()).isEqualTo(201);
    String id = created.json().get("id").asText();
    JsonNode shown = tenant.call("GET", "/v1/subscriptions/" + id, null).json().get("headers");
    assertThat(shown).isEqualTo(HeraldHarness.JSON.readTree(
        "{\"X-Team\":\"billing\",\"X-Api-Key\":{\"secret\":true}}"));
    assertThat(created.json().toString()).doesNotContain(VALUE);
    JsonNode preview = tenant.call("POST", "/v1/subscriptions/" + id + "/preview",
        "{\"type\":\"order.paid\",\"data\":{}}").json();
    assertThat(preview.toString()).doesNotContain(VALUE).contains("<hidden>");

    assertThat(publishAndReceive(1).header("X-Api-Key")).isEqualTo(VALUE);

    // A client that reads the headers, adds one and writes them back keeps the secret value.
    ((com.fasterxml.jackson.databind.node.ObjectNode) shown).put("X-Region", "eu");
    Response patched = tenant.call("PATCH", "/v1/subscriptions/" + id, "{\"headers\":" + shown + "}");
    assertThat(patched.status()).as("%s", patched.json()).isEqualTo(200);
    assertThat(patched.json().get("headers").get("X-Api-Key").get("secret").asBoolean()).isTrue();
    RecordedRequest second = publishAndReceive(2);
    assertThat(second.header("X-Api-Key")).isEqualTo(VALUE);
    assertThat(second.header("X-Region")).isEqualTo("eu");

    // Made plain, it is shown again; a secret header without a value on create is a 422.
    tenant.call("PATCH", "/v1/subscriptions/" + id,
        "{\"headers\":{\"X-Api-Key\":{\"value\":\"public\",\"secret\":false}}}");
    assertThat(tenant.call("GET", "/v1/subscriptions/" + id, null).json().get("headers").get("X-Api-Key")
        .asText()).isEqualTo("public");
    Response refused = tenant.call("POST", "/v1/subscriptions",
        "{\"name\":\"h2\",\"url\":\"" + tenant.receiver().url() + "\",\"events\":[\"order.*\"],"
            + "\"headers\":{\"X-Api-Key\":{\"secret\":true},\"X-Other\":{\"value\":\"v\",\"secret\":\"yes\"}}}");
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json().get("errors").findValuesAsText("pointer"))
        .containsExactlyInAnyOrder("/headers/X-Api-Key/value", "/headers/X-Other/secret");
  }

  private RecordedRequest publishAndReceive(int n) throws Exception {
    assertThat(tenant.call("POST", "/v1/events", "{\"type\":\"order.paid\",\"data\":{\"n\":" + n + "}}")
        .status()).isEqualTo(202);
    return tenant.receiver().awaitRequests(n, Duration.ofSeconds(20)).get(n - 1);
  }
}
