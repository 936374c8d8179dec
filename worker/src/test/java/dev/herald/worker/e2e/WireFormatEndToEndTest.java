package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import dev.herald.core.signing.NodeVerifier;
import dev.herald.core.signing.PlatformVerifier;
import dev.herald.core.tenant.Scope;
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
 * A subscription's {@code method}, {@code signature} and {@code headerNames}, through HTTP:
 * receivers written against other platforms' contracts (a timestamped hex header, a prefixed
 * raw-body hex, PUT, branded or dropped headers, no signature) verify what arrives, with code
 * written as those platforms document it.
 */
class WireFormatEndToEndTest {

  @RegisterExtension static final ReceivingTenant tenant = new ReceivingTenant("wire");

  @Test
  void aTimestampedHexReceiverBehindPutVerifiesItsBrandedHeader() throws Exception {
    JsonNode sub = create(",\"method\":\"PUT\",\"signature\":{\"scheme\":\"timestamped-hex\",\"header\":\"X-Atelier-Signature\"},"
        + "\"headerNames\":{\"eventType\":\"X-Atelier-Event\",\"deliveryId\":\"X-Atelier-Delivery-Id\",\"attempt\":null}");
    assertThat(sub.get("method").asText()).isEqualTo("PUT");
    assertThat(sub.get("signature")).isEqualTo(HeraldHarness.JSON.readTree(
        "{\"scheme\":\"timestamped-hex\",\"header\":\"X-Atelier-Signature\"}"));

    RecordedRequest request = publishAndReceive("evt_wire_ts");

    assertThat(request.method()).isEqualTo("PUT");
    String header = request.header("X-Atelier-Signature");
    assertThat(header).matches("t=\\d+,v1=[0-9a-f]{64}");
    long t = Long.parseLong(header.substring(2, header.indexOf(',')));
    assertThat(PlatformVerifier.timestampedHex(sub.get("secret").asText(), header, request.body(), t)).isTrue();
    assertThat(NodeVerifier.verify("timestamped-hex", sub.get("secret").asText(), header, request.body(),
        Long.toString(System.currentTimeMillis() / 1000))).isEqualTo("valid");
    assertThat(request.header("webhook-signature")).isNull();
    assertThat(request.header("X-Atelier-Event")).isEqualTo("order.paid");
    assertThat(request.header("X-Atelier-Delivery-Id")).startsWith("dlv_");
    assertThat(request.headerLines()).extracting(Map.Entry::getKey)
        .noneMatch(name -> name.toLowerCase().startsWith("herald-"));
    assertThat(get(sub).get("signature").get("header").asText()).isEqualTo("X-Atelier-Signature");

    // A PATCH of another field keeps the wire format; GET shows the dropped header as null.
    Response patched = tenant.call("PATCH", "/v1/subscriptions/" + sub.get("id").asText(),
        "{\"timeoutSeconds\":10}");
    assertThat(patched.json().get("method").asText()).isEqualTo("PUT");
    assertThat(patched.json().get("headerNames")).isEqualTo(HeraldHarness.JSON.readTree(
        "{\"eventType\":\"X-Atelier-Event\",\"deliveryId\":\"X-Atelier-Delivery-Id\",\"attempt\":null}"));
    RecordedRequest again = publishAndReceive("evt_wire_ts_2");
    assertThat(again.method()).isEqualTo("PUT");
    assertThat(again.header("X-Atelier-Event")).isEqualTo("order.paid");
    assertThat(again.header("herald-attempt")).isNull();
  }

  @Test
  void aPrefixedRawBodyHexIsSignedByTheNewestSecretDuringARotation() throws Exception {
    JsonNode sub = create(",\"signature\":{\"scheme\":\"hmac-sha256-hex\",\"header\":\"X-Hub-Signature-256\",\"prefix\":\"sha256=\"}");
    String old = sub.get("secret").asText();
    Response rotated = tenant.call("POST", "/v1/subscriptions/" + sub.get("id").asText() + "/rotate-secret",
        "{\"graceSeconds\":3600}");
    String newest = rotated.json().get("secret").asText();

    RecordedRequest request = publishAndReceive("evt_wire_hex");

    assertThat(request.method()).isEqualTo("POST");
    String header = request.header("X-Hub-Signature-256");
    assertThat(PlatformVerifier.rawBodyHex(newest, header, request.body(), "sha256=")).isTrue();
    assertThat(PlatformVerifier.rawBodyHex(old, header, request.body(), "sha256=")).isFalse();
    assertThat(NodeVerifier.verify("hmac-sha256-hex", newest, header, request.body(), "sha256=")).isEqualTo("valid");
    assertThat(NodeVerifier.verify("hmac-sha256-hex", old, header, request.body(), "sha256="))
        .isEqualTo("signature does not match");
  }

  @Test
  void aDataBodyIsTheEventsDataExactlyAndTheSameBytesOnEveryAttempt() throws Exception {
    tenant.receiver().setDefault(ReceiverResponse.status(503));
    JsonNode sub = create(",\"retrySchedule\":[1],\"body\":{\"format\":\"data\"},"
        + "\"signature\":{\"scheme\":\"hmac-sha256-hex\"}");
    assertThat(sub.get("body").get("format").asText()).isEqualTo("data");
    String data = "{\"orderId\":\"981\",\"amount\":42.10,\"big\":12345678901234567890,\"name\":\"Zoë\"}";
    tenant.call("POST", "/v1/events", "{\"id\":\"evt_wire_data\",\"type\":\"order.paid\",\"data\":" + data + "}");

    List<RecordedRequest> attempts = tenant.receiver().awaitRequests(2, Duration.ofSeconds(20));

    assertThat(attempts.get(0).bodyUtf8()).isEqualTo(
        "{\"orderId\":\"981\",\"amount\":42.10,\"big\":12345678901234567890,\"name\":\"Zoë\"}");
    assertThat(attempts.get(1).body()).isEqualTo(attempts.get(0).body());
    assertThat(PlatformVerifier.rawBodyHex(sub.get("secret").asText(),
        attempts.get(1).header("Herald-Signature"), attempts.get(1).body(), "")).isTrue();
  }

  @Test
  void aPreviewShowsExactlyWhatWouldBeSentAndSendsNothing() throws Exception {
    JsonNode sub = create(",\"method\":\"PUT\",\"headers\":{\"X-Team\":\"billing\"},\"body\":{\"format\":\"data\"},"
        + "\"signature\":{\"scheme\":\"timestamped-hex\",\"header\":\"X-Atelier-Signature\"},"
        + "\"headerNames\":{\"eventType\":\"X-Atelier-Event\",\"attempt\":null}");
    String path = "/v1/subscriptions/" + sub.get("id").asText() + "/preview";

    Response preview = tenant.call("POST", path,
        "{\"type\":\"order.paid\",\"data\":{\"orderId\":\"981\",\"amount\":42.10}}");

    assertThat(preview.status()).isEqualTo(200);
    JsonNode p = preview.json();
    assertThat(p.get("method").asText()).isEqualTo("PUT");
    assertThat(p.get("url").asText()).isEqualTo(tenant.receiver().url());
    assertThat(p.get("body").asText()).isEqualTo("{\"orderId\":\"981\",\"amount\":42.10}");
    assertThat(p.get("headers").findValuesAsText("name")).containsExactly(
        "content-type", "X-Atelier-Signature", "X-Atelier-Event", "herald-delivery-id", "X-Team");
    String signature = p.get("headers").get(1).get("value").asText();
    long t = Long.parseLong(signature.substring(2, signature.indexOf(',')));
    assertThat(PlatformVerifier.timestampedHex(sub.get("secret").asText(), signature,
        p.get("body").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8), t)).isTrue();
    assertThat(p.get("headers").get(3).get("value").asText()).isEqualTo("dlv_preview");

    assertThat(tenant.call("POST", path, "{\"type\":\"Bad Type\"}").status())
        .isEqualTo(422);
    assertThat(tenant.call("POST", "/v1/subscriptions/sub_missing/preview",
        "{\"type\":\"order.paid\",\"data\":{}}").status()).isEqualTo(404);
    Thread.sleep(300);
    assertThat(tenant.receiver().requests()).as("a preview sends nothing").isEmpty();
    assertThat(tenant.call("GET", "/v1/events", null).json().get("data")).as("nor stores").isEmpty();
  }

  @Test
  void aTenantsDefaultsAreTakenByNewSubscriptionsThatNameNothingAndSeenByNoOtherTenant() throws Exception {
    Response put = tenant.call("PUT", "/v1/subscription-defaults",
        "{\"signature\":{\"scheme\":\"timestamped-hex\",\"header\":\"X-Atelier-Signature\"},"
            + "\"headerNames\":{\"eventType\":\"X-Atelier-Event\"}}");
    assertThat(put.status()).isEqualTo(200);
    assertThat(tenant.call("GET", "/v1/subscription-defaults", null).json().get("signature")
        .get("header").asText()).isEqualTo("X-Atelier-Signature");

    JsonNode takesDefaults = create("");
    JsonNode namesItsOwn = create(",\"signature\":{\"scheme\":\"none\"}");
    assertThat(takesDefaults.get("signature").get("scheme").asText()).isEqualTo("timestamped-hex");
    assertThat(takesDefaults.get("headerNames").get("eventType").asText()).isEqualTo("X-Atelier-Event");
    assertThat(namesItsOwn.get("signature").get("scheme").asText()).isEqualTo("none");
    assertThat(namesItsOwn.get("headerNames").get("eventType").asText()).isEqualTo("X-Atelier-Event");

    RecordedRequest request = publishAndReceive("evt_wire_defaults");
    assertThat(tenant.receiver().awaitRequests(2, Duration.ofSeconds(20))).hasSize(2);
    assertThat(request.header("X-Atelier-Event")).isEqualTo("order.paid");

    assertThat(pointers(tenant.call("PUT", "/v1/subscription-defaults",
        "{\"method\":\"GET\",\"url\":\"https://x\"}")))
        .containsExactlyInAnyOrder("/method", "/url");
    String stranger = tenant.herald().newTenantKey("wire-stranger", null, Scope.all());
    assertThat(tenant.herald().call("GET", "/v1/subscription-defaults", null, stranger, null).json()).isEmpty();
  }

  @Test
  void noneSendsNoSignatureAndPatchingItAwayRestoresStandardWebhooks() throws Exception {
    JsonNode sub = create(",\"signature\":{\"scheme\":\"none\"}");
    RecordedRequest unsigned = publishAndReceive("evt_wire_none");
    assertThat(unsigned.headerLines()).extracting(Map.Entry::getKey)
        .noneMatch(name -> name.toLowerCase().contains("signature"));

    Response patched = tenant.call("PATCH", "/v1/subscriptions/" + sub.get("id").asText(),
        "{\"signature\":null}");
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.json().get("signature").get("scheme").asText()).isEqualTo("standard-webhooks");
    RecordedRequest standard = publishAndReceive("evt_wire_back");
    new Webhook(sub.get("secret").asText()).verify(standard.bodyUtf8(), HttpHeaders.of(Map.of(
        "webhook-id", List.of(standard.header("webhook-id")),
        "webhook-timestamp", List.of(standard.header("webhook-timestamp")),
        "webhook-signature", List.of(standard.header("webhook-signature"))), (a, b) -> true));
  }

  @Test
  void aWrongMethodOrSignatureIsA422NamingEachFieldAndSavesNothing() throws Exception {
    Response r = tenant.call("POST", "/v1/subscriptions", body(
        ",\"headers\":{\"X-Sig\":\"v\"},\"method\":\"GET\",\"signature\":{\"scheme\":\"timestamped-hex\",\"header\":\"X-Sig\"}"));
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(pointers(r)).containsExactlyInAnyOrder("/method", "/signature/header");

    assertThat(pointers(tenant.call("POST", "/v1/subscriptions",
        body(",\"signature\":{\"scheme\":\"md5\",\"salt\":\"x\"}"))))
        .containsExactly("/signature/salt");
    assertThat(pointers(tenant.call("POST", "/v1/subscriptions",
        body(",\"signature\":{\"scheme\":\"md5\"}"))))
        .containsExactly("/signature");
    assertThat(pointers(tenant.call("POST", "/v1/subscriptions",
        body(",\"signature\":{\"scheme\":\"hmac-sha256-hex\",\"header\":\"herald-attempt\"}"))))
        .containsExactly("/signature/header");
    assertThat(pointers(tenant.call("POST", "/v1/subscriptions",
        body(",\"body\":{\"format\":\"xml\",\"charset\":\"utf-8\"}"))))
        .containsExactlyInAnyOrder("/body/format", "/body/charset");
    assertThat(pointers(tenant.call("POST", "/v1/subscriptions", body(
        ",\"signature\":{\"scheme\":\"timestamped-hex\",\"header\":\"X-Atelier-Signature\"},"
            + "\"headerNames\":{\"eventType\":\"x-atelier-signature\",\"deliveryId\":\"herald-attempt\","
            + "\"attempt\":\"bad name\",\"trace\":\"X-Trace\"}"))))
        .containsExactlyInAnyOrder("/headerNames/eventType", "/headerNames/deliveryId",
            "/headerNames/attempt", "/headerNames/trace");
    assertThat(tenant.call("GET", "/v1/subscriptions", null).json().get("data")).isEmpty();
  }

  private JsonNode create(String extra) throws Exception {
    Response r = tenant.call("POST", "/v1/subscriptions", body(extra));
    assertThat(r.status()).as("%s", r.json()).isEqualTo(201);
    return r.json();
  }

  private String body(String extra) {
    return "{\"name\":\"wire\",\"url\":\"" + tenant.receiver().url() + "\",\"events\":[\"order.*\"]" + extra + "}";
  }

  private JsonNode get(JsonNode sub) throws Exception {
    return tenant.call("GET", "/v1/subscriptions/" + sub.get("id").asText(), null).json();
  }

  private RecordedRequest publishAndReceive(String eventId) throws Exception {
    int before = tenant.receiver().requests().size();
    Response r = tenant.call("POST", "/v1/events",
        "{\"id\":\"" + eventId + "\",\"type\":\"order.paid\",\"data\":{\"name\":\"Zoë\"}}");
    assertThat(r.status()).isEqualTo(202);
    return tenant.receiver().awaitRequests(before + 1, Duration.ofSeconds(20)).get(before);
  }

  private static List<String> pointers(Response r) {
    assertThat(r.status()).isEqualTo(422);
    return r.json().get("errors").findValuesAsText("pointer");
  }
}
