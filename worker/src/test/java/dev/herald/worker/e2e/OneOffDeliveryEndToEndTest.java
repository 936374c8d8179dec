package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import dev.herald.testing.receiver.ReceiverResponse;
import dev.herald.testing.receiver.RecordedRequest;
import dev.herald.worker.e2e.HeraldHarness.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One-off deliveries ({@code POST /v1/deliveries}), through HTTP as a platform whose caller
 * passed a webhook URL would use them: signed with the tenant's one-off secret or the request's
 * own, retried on the request's schedule, idempotent on the id, guarded like subscriptions,
 * listed by kind, retried by hand, and never seen as subscriptions.
 */
class OneOffDeliveryEndToEndTest {

  @RegisterExtension static final ReceivingTenant tenant = new ReceivingTenant("one-off");

  private static final String OWN_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @Test
  void signedWithTheTenantsOneOffSecretAndRetriedOnTheRequestsSchedule() throws Exception {
    String request = oneOff("run_1", ",\"retrySchedule\":[1,1]");
    Response missing = tenant.call("POST", "/v1/deliveries", request);
    assertThat(missing.status()).isEqualTo(409);
    assertThat(missing.json().get("code").asText()).isEqualTo("one_off_secret_missing");
    assertThat(tenant.call("GET", "/v1/deliveries", null).json().get("data")).isEmpty();

    String secret = tenant.call("POST", "/v1/one-off-secret", null).json().get("secret").asText();
    AtomicInteger calls = new AtomicInteger();
    tenant.receiver().setDefault(r -> calls.incrementAndGet() == 1
        ? ReceiverResponse.status(503) : ReceiverResponse.status(204));

    Response accepted = tenant.call("POST", "/v1/deliveries", request);

    assertThat(accepted.status()).as("%s", accepted.json()).isEqualTo(202);
    JsonNode delivery = accepted.json();
    assertThat(delivery.get("kind").asText()).isEqualTo("one-off");
    assertThat(delivery.get("url").asText()).isEqualTo(tenant.receiver().url("/generation"));
    assertThat(delivery.get("subscriptionId").isNull()).isTrue();
    assertThat(delivery.get("eventId").asText()).isEqualTo("run_1");
    JsonNode done = awaitFinished(delivery.get("id").asText());
    assertThat(done.get("status").asText()).isEqualTo("succeeded");
    assertThat(done.get("attempts")).extracting(a -> a.get("statusCode").asInt()).containsExactly(503, 204);
    List<RecordedRequest> received = tenant.receiver().requests();
    assertThat(received).hasSize(2);
    for (RecordedRequest r : received) {
      assertThat(r.path()).isEqualTo("/generation");
      assertThat(r.bodyUtf8()).contains("\"runId\":\"run_1\"");
      new Webhook(secret).verify(r.bodyUtf8(), SubscriptionApiTest.headersOf(r));
    }
    assertThat(received).extracting(r -> r.header("herald-attempt")).containsExactly("1", "2");
    // No subscription appears, and no health workflow was asked about the failure.
    assertThat(tenant.call("GET", "/v1/subscriptions", null).json().get("data")).isEmpty();
    assertThat(tenant.call("GET", "/v1/notifications", null).json().get("data")).isEmpty();
    // The event is in the tenant's feed like any other.
    assertThat(tenant.call("GET", "/v1/events", null).json().get("data").findValuesAsText("id"))
        .containsExactly("run_1");
  }

  @Test
  void aSecretOnTheRequestSignsItAndItsHeadersAndCredentialsArrive() throws Exception {
    Response accepted = tenant.call("POST", "/v1/deliveries", oneOff(null,
        ",\"secret\":\"" + OWN_SECRET + "\",\"method\":\"PUT\","
            + "\"headers\":{\"X-Run\":\"7\",\"X-Client-Key\":{\"value\":\"ck_live_1\",\"secret\":true}},"
            + "\"auth\":{\"type\":\"bearer\",\"token\":\"tok-one-off\"}"));
    assertThat(accepted.status()).as("%s", accepted.json()).isEqualTo(202);

    RecordedRequest r = tenant.receiver().awaitRequests(1, Duration.ofSeconds(20)).get(0);

    assertThat(r.method()).isEqualTo("PUT");
    assertThat(r.header("X-Run")).isEqualTo("7");
    assertThat(r.header("X-Client-Key")).isEqualTo("ck_live_1");
    assertThat(r.header("Authorization")).isEqualTo("Bearer tok-one-off");
    new Webhook(OWN_SECRET).verify(r.bodyUtf8(), SubscriptionApiTest.headersOf(r));
    JsonNode shown = awaitFinished(accepted.json().get("id").asText());
    assertThat(shown.toString()).doesNotContain("ck_live_1").doesNotContain("tok-one-off")
        .doesNotContain(OWN_SECRET);
  }

  @Test
  void theSameIdAnswersTheFirstDeliveryAndAnotherRequestWithItIsAConflict() throws Exception {
    String request = oneOff("run_same", ",\"secret\":\"" + OWN_SECRET + "\"");
    Response first = tenant.call("POST", "/v1/deliveries", request);
    Response again = tenant.call("POST", "/v1/deliveries", request);

    assertThat(again.status()).isEqualTo(202);
    assertThat(again.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
    awaitFinished(first.json().get("id").asText());
    assertThat(tenant.receiver().requests()).hasSize(1);

    Response otherUrl = tenant.call("POST", "/v1/deliveries",
        request.replace("/generation", "/elsewhere"));
    assertThat(otherUrl.status()).isEqualTo(409);
    assertThat(otherUrl.json().get("code").asText()).isEqualTo("conflict");
    Response asEvent = tenant.call("POST", "/v1/events",
        "{\"id\":\"run_same\",\"type\":\"generation.completed\",\"data\":{\"runId\":\"run_same\"}}");
    assertThat(asEvent.status()).isEqualTo(409);
    assertThat(tenant.call("GET", "/v1/deliveries", null).json().get("data")).hasSize(1);
  }

  @Test
  void aRefusedAddressOrBadFieldsAreA422AndNothingIsAccepted() throws Exception {
    Response blocked = tenant.call("POST", "/v1/deliveries",
        "{\"url\":\"http://169.254.169.254/latest\",\"type\":\"run.done\",\"data\":{},"
            + "\"secret\":\"" + OWN_SECRET + "\"}");
    assertThat(blocked.status()).isEqualTo(422);
    assertThat(blocked.json().get("code").asText()).isEqualTo("blocked_address");
    assertThat(blocked.json().get("errors").get(0).get("pointer").asText()).isEqualTo("/url");

    Response bad = tenant.call("POST", "/v1/deliveries",
        "{\"type\":\"Run Done\",\"secret\":\"sk_x\",\"timeoutSeconds\":99,\"disableAfter\":{},"
            + "\"headers\":{\"X-Key\":{\"secret\":true}}}");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.json().get("errors").findValuesAsText("pointer")).containsExactlyInAnyOrder(
        "/disableAfter", "/type", "/data", "/secret", "/url", "/timeoutSeconds", "/headers/X-Key/value");
    assertThat(tenant.call("GET", "/v1/deliveries", null).json().get("data")).isEmpty();
    assertThat(tenant.call("GET", "/v1/events", null).json().get("data")).isEmpty();
  }

  @Test
  void listedByKindAndRetriedByHand() throws Exception {
    assertThat(tenant.call("POST", "/v1/subscriptions", "{\"name\":\"s\",\"url\":\""
        + tenant.receiver().url("/subscribed") + "\",\"events\":[\"order.*\"]}").status()).isEqualTo(201);
    tenant.call("POST", "/v1/events", "{\"type\":\"order.paid\",\"data\":{}}");
    String oneOffId = tenant.call("POST", "/v1/deliveries",
        oneOff(null, ",\"secret\":\"" + OWN_SECRET + "\"")).json().get("id").asText();
    awaitFinished(oneOffId);

    assertThat(ids("?kind=one-off")).containsExactly(oneOffId);
    assertThat(ids("?kind=subscription")).hasSize(1).doesNotContain(oneOffId);
    assertThat(ids("")).hasSize(2);
    Response badKind = tenant.call("GET", "/v1/deliveries?kind=webhook", null);
    assertThat(badKind.status()).isEqualTo(422);
    assertThat(badKind.json().get("errors").get(0).get("parameter").asText()).isEqualTo("kind");

    int before = tenant.receiver().requests().size();
    assertThat(tenant.call("POST", "/v1/deliveries/" + oneOffId + "/retry", null).status()).isEqualTo(202);
    RecordedRequest again = tenant.receiver().awaitRequests(before + 1, Duration.ofSeconds(20)).get(before);
    assertThat(again.path()).isEqualTo("/generation");
    assertThat(again.header("herald-attempt")).isEqualTo("2");
    new Webhook(OWN_SECRET).verify(again.bodyUtf8(), SubscriptionApiTest.headersOf(again));
  }

  @Test
  void aRotationWithGraceSignsNewDeliveriesWithBothSecrets() throws Exception {
    String old = tenant.call("POST", "/v1/one-off-secret", "{}").json().get("secret").asText();
    Response rotated = tenant.call("POST", "/v1/one-off-secret", "{\"graceSeconds\":3600}");
    assertThat(rotated.json().has("previousSecretExpiresAt")).isTrue();
    String fresh = rotated.json().get("secret").asText();

    tenant.call("POST", "/v1/deliveries", oneOff(null, ""));
    RecordedRequest r = tenant.receiver().awaitRequests(1, Duration.ofSeconds(20)).get(0);

    assertThat(r.header("webhook-signature").split(" ")).hasSize(2);
    new Webhook(fresh).verify(r.bodyUtf8(), SubscriptionApiTest.headersOf(r));
    new Webhook(old).verify(r.bodyUtf8(), SubscriptionApiTest.headersOf(r));
  }

  @Test
  void theTenantsSubscriptionDefaultsApplyAsToANewSubscription() throws Exception {
    assertThat(tenant.call("PUT", "/v1/subscription-defaults",
        "{\"signature\":{\"scheme\":\"hmac-sha256-hex\",\"prefix\":\"sha256=\"}}").status())
        .isEqualTo(200);
    try {
      tenant.call("POST", "/v1/deliveries", oneOff(null, ",\"secret\":\"" + OWN_SECRET + "\""));
      RecordedRequest r = tenant.receiver().awaitRequests(1, Duration.ofSeconds(20)).get(0);

      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(
          OWN_SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
      assertThat(r.header("Herald-Signature"))
          .isEqualTo("sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(r.body())));
      assertThat(r.header("webhook-signature")).isNull();
    } finally {
      tenant.call("PUT", "/v1/subscription-defaults", "{}");
    }
  }

  private String oneOff(String id, String extra) {
    return "{" + (id == null ? "" : "\"id\":\"" + id + "\",") + "\"url\":\""
        + tenant.receiver().url("/generation") + "\",\"type\":\"generation.completed\","
        + "\"data\":{\"runId\":\"" + (id == null ? "run_x" : id) + "\"}" + extra + "}";
  }

  private JsonNode awaitFinished(String deliveryId) throws Exception {
    return tenant.herald().awaitJson("/v1/deliveries/" + deliveryId,
        d -> d.has("status") && List.of("succeeded", "failed").contains(d.get("status").asText()),
        Duration.ofSeconds(30), tenant.key());
  }

  private List<String> ids(String query) throws Exception {
    List<String> ids = new ArrayList<>();
    tenant.call("GET", "/v1/deliveries" + query, null).json().get("data")
        .forEach(d -> ids.add(d.get("id").asText()));
    return ids;
  }
}
