package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import dev.herald.core.signing.NodeVerifier;
import dev.herald.core.signing.PlatformVerifier;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.RecordedRequest;
import dev.herald.testing.receiver.ReceiverResponse;
import dev.herald.worker.e2e.HeraldHarness.Response;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Five platforms adopt Herald without changing a receiver: each configures a subscription through
 * HTTP the way its published webhook contract reads, publishes an event, and its receiver, on
 * loopback, gets and verifies exactly what it always got, with verification code written as that
 * platform documents it (Java and Node's {@code createHmac}/{@code timingSafeEqual}).
 */
class PlatformStylesEndToEndTest {

  private static final String ORDER =
      "{\"orderId\":\"981\",\"amount\":42.10,\"customer\":{\"name\":\"Zoë\",\"email\":\"zoe@example.com\"}}";

  @RegisterExtension static final ReceivingTenant tenant = new ReceivingTenant("platform");

  @Test
  void marketplaceTimestampedHexWithBrandedHeadersAndADataBody() throws Exception {
    JsonNode sub = create(",\"signature\":{\"scheme\":\"timestamped-hex\",\"header\":\"X-Atelier-Signature\"},"
        + "\"headerNames\":{\"eventType\":\"X-Atelier-Event\",\"deliveryId\":\"X-Atelier-Delivery\",\"attempt\":null},"
        + "\"body\":{\"format\":\"data\"}");

    RecordedRequest r = publishAndReceive("evt_atelier_1");

    assertThat(r.bodyUtf8()).isEqualTo(ORDER);
    String header = r.header("X-Atelier-Signature");
    long now = System.currentTimeMillis() / 1000;
    assertThat(PlatformVerifier.timestampedHex(secret(sub), header, r.body(), now)).isTrue();
    assertThat(NodeVerifier.verify("timestamped-hex", secret(sub), header, r.body(), Long.toString(now)))
        .isEqualTo("valid");
    assertThat(r.header("X-Atelier-Event")).isEqualTo("order.paid");
    assertThat(r.header("X-Atelier-Delivery")).startsWith("dlv_");
    assertThat(r.header("herald-attempt")).isNull();
    assertThat(r.header("webhook-signature")).isNull();
  }

  /** A support desk: a raw-body hex HMAC in its own header, with a {@code sha256=} prefix. */
  @Test
  void supportDeskRawHexInACustomHeader() throws Exception {
    JsonNode sub = create(",\"signature\":{\"scheme\":\"hmac-sha256-hex\",\"header\":\"X-Desk-Signature\",\"prefix\":\"sha256=\"}");

    RecordedRequest r = publishAndReceive("evt_desk_1");

    String header = r.header("X-Desk-Signature");
    assertThat(header).matches("sha256=[0-9a-f]{64}");
    assertThat(PlatformVerifier.rawBodyHex(secret(sub), header, r.body(), "sha256=")).isTrue();
    assertThat(NodeVerifier.verify("hmac-sha256-hex", secret(sub), header, r.body(), "sha256="))
        .isEqualTo("valid");
    assertThat(HeraldHarness.JSON.readTree(r.body()).get("id").asText()).isEqualTo("evt_desk_1");
  }

  /** A generation API: PUT, its own headers, and an envelope of its own made by a template. */
  @Test
  void generationApiPutWithCustomHeadersAndAnEnvelopeTemplate() throws Exception {
    String template = "{\"event\": type, \"eventId\": id, \"occurredAt\": timestamp,"
        + " \"payload\": data, \"meta\": {\"endpoint\": subscription.name, \"region\": attributes.region}}";
    JsonNode sub = create(",\"method\":\"PUT\",\"headers\":{\"X-Gen-Api-Version\":\"2026-11\"},"
        + "\"signature\":{\"scheme\":\"hmac-sha256-hex\",\"header\":\"X-Gen-Signature\"},"
        + "\"headerNames\":{\"eventType\":\"X-Gen-Event\"},"
        + "\"body\":{\"format\":\"template\",\"template\":" + HeraldHarness.JSON.writeValueAsString(template) + "}");
    assertThat(sub.get("body").get("template").asText()).isEqualTo(template);

    RecordedRequest r = publishAndReceive("evt_gen_1");

    assertThat(r.method()).isEqualTo("PUT");
    assertThat(r.header("X-Gen-Api-Version")).isEqualTo("2026-11");
    assertThat(r.header("X-Gen-Event")).isEqualTo("order.paid");
    JsonNode body = HeraldHarness.JSON.readTree(r.body());
    assertThat(body.get("event").asText()).isEqualTo("order.paid");
    assertThat(body.get("eventId").asText()).isEqualTo("evt_gen_1");
    assertThat(body.get("payload").get("customer").get("name").asText()).isEqualTo("Zoë");
    assertThat(body.get("meta").get("endpoint").asText()).isEqualTo("platform");
    assertThat(body.get("meta").get("region").asText()).isEqualTo("eu");
    assertThat(PlatformVerifier.rawBodyHex(secret(sub), r.header("X-Gen-Signature"), r.body(), "")).isTrue();
    assertThat(NodeVerifier.verify("hmac-sha256-hex", secret(sub), r.header("X-Gen-Signature"), r.body(), ""))
        .isEqualTo("valid");
  }

  /** A Slack incoming webhook: Slack's own body, no signature (Slack does not verify one). */
  @Test
  void slackTargetGetsAReadableMessage() throws Exception {
    create(",\"signature\":{\"scheme\":\"none\"},\"body\":{\"format\":\"slack\"}");

    RecordedRequest r = publishAndReceive("evt_slack_1");

    JsonNode body = HeraldHarness.JSON.readTree(r.body());
    assertThat(body.get("text").asText()).contains("order.paid").contains("evt_slack_1");
    assertThat(r.header("content-type")).isEqualTo("application/json");
    assertThat(r.headerLines()).extracting(Map.Entry::getKey)
        .noneMatch(name -> name.toLowerCase().contains("signature"));
  }

  /** Herald's own: the envelope, signed as Standard Webhooks, verified by its reference library. */
  @Test
  void standardWebhooksAsEver() throws Exception {
    JsonNode sub = create("");

    RecordedRequest r = publishAndReceive("evt_std_1");

    new Webhook(secret(sub)).verify(r.bodyUtf8(), HttpHeaders.of(Map.of(
        "webhook-id", List.of(r.header("webhook-id")),
        "webhook-timestamp", List.of(r.header("webhook-timestamp")),
        "webhook-signature", List.of(r.header("webhook-signature"))), (a, b) -> true));
    JsonNode body = HeraldHarness.JSON.readTree(r.body());
    assertThat(body.get("id").asText()).isEqualTo("evt_std_1");
    assertThat(body.get("data").toString()).isEqualTo(HeraldHarness.JSON.readTree(ORDER).toString());
  }

  private JsonNode create(String extra) throws Exception {
    Response r = tenant.call("POST", "/v1/subscriptions",
        "{\"name\":\"platform\",\"url\":\"" + tenant.receiver().url() + "\",\"events\":[\"order.*\"]" + extra + "}");
    assertThat(r.status()).as("%s", r.json()).isEqualTo(201);
    return r.json();
  }

  private RecordedRequest publishAndReceive(String eventId) throws Exception {
    Response r = tenant.call("POST", "/v1/events",
        "{\"id\":\"" + eventId + "\",\"type\":\"order.paid\",\"data\":" + ORDER
            + ",\"attributes\":{\"region\":\"eu\"}}");
    assertThat(r.status()).as("%s", r.json()).isEqualTo(202);
    return tenant.receiver().awaitRequests(1, Duration.ofSeconds(20)).get(0);
  }

  private static String secret(JsonNode sub) {
    return sub.get("secret").asText();
  }
}
