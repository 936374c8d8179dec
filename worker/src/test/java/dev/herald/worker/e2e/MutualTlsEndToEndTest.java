package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.testing.receiver.RecordedRequest;
import dev.herald.testing.receiver.TlsReceiver;
import dev.herald.testing.receiver.TlsReceiver.Arrival;
import dev.herald.testing.tls.TestPki;
import dev.herald.worker.e2e.HeraldHarness.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A subscription's {@code mtls} auth, through HTTP: the client certificate is presented on the
 * handshake to an endpoint that requires one; an endpoint that refuses it ends the attempt as
 * {@code tls}; two subscriptions to one endpoint each arrive with their own certificate; a client
 * sees the certificate's subject, issuer and expiry, never the key; bad material is a 422 naming
 * its field, on create and on PATCH; and the owner is told once, 14 days ahead, that a
 * certificate expires.
 */
class MutualTlsEndToEndTest {

  @RegisterExtension static final ReceivingTenant tenant = new ReceivingTenant("mtls");

  private static final TestPki.Authority CA = TestPki.authority("Endpoint CA");
  private static final TestPki.Credential SERVER = CA.server();
  private static final String ISSUER = "CN=Endpoint CA,O=Herald Tests";

  private TlsReceiver endpoint;

  @BeforeEach
  void startEndpoint() {
    endpoint = TlsReceiver.start(SERVER.serverContext(CA.certificate()), true);
  }

  @AfterEach
  void stopEndpoint() {
    endpoint.close();
  }

  @Test
  void theClientCertificateIsPresentedAndOnlyItsPublicPartsAreShown() throws Exception {
    TestPki.Credential alice = CA.client("alice");
    Response created = create("/hooks", alice.certificatePem(), alice.keyPem(), "order.*");
    String id = created.json().get("id").asText();

    JsonNode auth = created.json().get("auth");
    assertThat(auth.get("type").asText()).isEqualTo("mtls");
    assertThat(auth.get("subject").asText()).isEqualTo("CN=alice,O=Herald Tests");
    assertThat(auth.get("issuer").asText()).isEqualTo(ISSUER);
    assertThat(auth.get("expiresAt").asText()).isEqualTo(alice.certificate().getNotAfter().toInstant().toString());
    assertThat(auth.get("fingerprintSha256").asText()).hasSize(64);
    assertThat(auth.has("privateKey")).isFalse();

    String eventId = publish(1);
    Arrival arrival = endpoint.awaitArrivals(1, Duration.ofSeconds(20)).get(0);
    assertThat(arrival.path()).isEqualTo("/hooks");
    assertThat(arrival.clientSubject()).isEqualTo("CN=alice,O=Herald Tests");
    assertThat(awaitFinished(eventId).get("status").asText()).isEqualTo("succeeded");

    String keyLine = alice.keyPem().split("\n")[1];
    for (Response shown : List.of(created, tenant.call("GET", "/v1/subscriptions/" + id, null),
        tenant.call("GET", "/v1/subscriptions", null),
        tenant.call("POST", "/v1/subscriptions/" + id + "/preview", "{\"type\":\"order.paid\",\"data\":{}}"))) {
      assertThat(shown.status()).isBetween(200, 201);
      assertThat(shown.json().toString()).doesNotContain(keyLine).doesNotContain("PRIVATE KEY");
    }
    assertThat(tenant.call("GET", "/v1/subscriptions/" + id, null).json().get("auth")).isEqualTo(auth);

    // A PATCH of another field keeps the credential, which is checked again and still works.
    Response patched = tenant.call("PATCH", "/v1/subscriptions/" + id, "{\"timeoutSeconds\":9}");
    assertThat(patched.status()).as("%s", patched.json()).isEqualTo(200);
    assertThat(patched.json().get("auth")).isEqualTo(auth);
    publish(2);
    assertThat(endpoint.awaitArrivals(2, Duration.ofSeconds(20)).get(1).clientSubject())
        .isEqualTo("CN=alice,O=Herald Tests");
  }

  @Test
  void aCertificateTheEndpointDoesNotTrustEndsTheAttemptAsTls() throws Exception {
    TestPki.Credential mallory = TestPki.authority("Stranger CA").client("mallory");
    ObjectNode body = subscription("/hooks", mallory.certificatePem(), mallory.keyPem(), "order.*");
    body.put("maxRetries", 0);
    body.put("retryDelaySeconds", 1);
    assertThat(tenant.call("POST", "/v1/subscriptions", body.toString()).status()).isEqualTo(201);

    JsonNode delivery = awaitFinished(publish(1));

    assertThat(delivery.get("status").asText()).isEqualTo("failed");
    JsonNode attempts = tenant.call("GET", "/v1/deliveries/" + delivery.get("id").asText(), null).json().get("attempts");
    assertThat(attempts).hasSize(1);
    assertThat(attempts.get(0).get("error").asText()).isEqualTo("tls");
    assertThat(attempts.get(0).get("statusCode").isNull()).isTrue();
    assertThat(endpoint.arrivals()).isEmpty();
    assertThat(endpoint.refusedHandshakes()).isEqualTo(1);
  }

  @Test
  void twoSubscriptionsToOneEndpointEachArriveWithTheirOwnCertificate() throws Exception {
    TestPki.Credential alice = CA.client("alice");
    TestPki.Credential bob = CA.client("bob");
    create("/alice", alice.certificatePem(), alice.keyPem(), "order.*");
    create("/bob", bob.certificatePem(), bob.keyPem(), "order.*");

    for (int n = 1; n <= 4; n++) {
      publish(n);
      endpoint.awaitArrivals(2 * n, Duration.ofSeconds(20));
    }

    List<Arrival> arrivals = endpoint.arrivals();
    assertThat(arrivals).hasSize(8);
    assertThat(arrivals).filteredOn(a -> a.path().equals("/alice")).hasSize(4)
        .allSatisfy(a -> assertThat(a.clientSubject()).isEqualTo("CN=alice,O=Herald Tests"));
    assertThat(arrivals).filteredOn(a -> a.path().equals("/bob")).hasSize(4)
        .allSatisfy(a -> assertThat(a.clientSubject()).isEqualTo("CN=bob,O=Herald Tests"));
  }

  @Test
  void badMaterialIsA422NamingItsFieldOnCreateAndOnPatch() throws Exception {
    TestPki.Credential alice = CA.client("alice");
    TestPki.Credential bob = CA.client("bob");
    Instant now = Instant.now();
    TestPki.Credential expired = CA.client("expired", now.minus(Duration.ofDays(90)), now.minus(Duration.ofDays(1)));

    assertThat(errors(subscription("/x", alice.certificatePem(), bob.keyPem(), "order.*")))
        .containsExactly("/auth/privateKey: does not match the certificate's public key");
    assertThat(errors(subscription("/x", expired.certificatePem(), expired.keyPem(), "order.*")))
        .containsExactly("/auth/certificate: expired on " + expired.certificate().getNotAfter().toInstant());
    assertThat(errors(subscription("/x", "-----BEGIN CERTIFICATE-----\nbm9pc2U=\n-----END CERTIFICATE-----\n",
        alice.keyPem(), "order.*"))).containsExactly("/auth/certificate: is not a readable PEM certificate");
    assertThat(errors(subscription("/x", "hello", alice.keyPem(), "order.*")))
        .containsExactly("/auth/certificate: is not a PEM certificate (-----BEGIN CERTIFICATE-----)");
    ObjectNode badCa = subscription("/x", alice.certificatePem(), alice.keyPem(), "order.*");
    ((ObjectNode) badCa.get("auth")).put("caCertificates", alice.keyPem());
    assertThat(errors(badCa)).containsExactly(
        "/auth/caCertificates: must hold only PEM certificates (-----BEGIN CERTIFICATE-----), not a private key");
    ObjectNode http = subscription("/x", alice.certificatePem(), alice.keyPem(), "order.*");
    http.put("url", tenant.receiver().url());
    assertThat(errors(http)).extracting(e -> e.substring(0, e.indexOf(':'))).containsExactly("/url");
    ObjectNode missing = subscription("/x", alice.certificatePem(), alice.keyPem(), "order.*");
    ((ObjectNode) missing.get("auth")).remove("privateKey");
    assertThat(errors(missing)).containsExactly("/auth/privateKey: is required");
    assertThat(tenant.call("GET", "/v1/subscriptions", null).json().get("data")).isEmpty();

    // PATCH: the merged settings are checked as on create.
    String id = tenant.call("POST", "/v1/subscriptions",
        "{\"name\":\"plain\",\"url\":\"" + endpoint.url("/p") + "\",\"events\":[\"order.*\"]}").json().get("id").asText();
    ObjectNode patch = HeraldHarness.JSON.createObjectNode();
    patch.set("auth", auth(alice.certificatePem(), bob.keyPem()));
    Response refused = tenant.call("PATCH", "/v1/subscriptions/" + id, patch.toString());
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json().get("errors").findValuesAsText("pointer")).containsExactly("/auth/privateKey");
    patch.set("auth", auth(alice.certificatePem(), alice.keyPem()));
    Response accepted = tenant.call("PATCH", "/v1/subscriptions/" + id, patch.toString());
    assertThat(accepted.status()).as("%s", accepted.json()).isEqualTo(200);
    assertThat(accepted.json().get("auth").get("subject").asText()).isEqualTo("CN=alice,O=Herald Tests");
    Response toHttp = tenant.call("PATCH", "/v1/subscriptions/" + id, "{\"url\":\"" + tenant.receiver().url() + "\"}");
    assertThat(toHttp.status()).isEqualTo(422);
    assertThat(toHttp.json().get("errors").findValuesAsText("pointer")).containsExactly("/url");
  }

  @Test
  void aCertificateThatExpiredSinceItWasSavedBlocksNoOtherChange() throws Exception {
    Instant now = Instant.now();
    TestPki.Credential brief = CA.client("brief", now.minus(Duration.ofDays(1)), now.plusSeconds(2));
    TestPki.Credential expired = CA.client("old", now.minus(Duration.ofDays(9)), now.minus(Duration.ofDays(1)));
    String id = create("/brief", brief.certificatePem(), brief.keyPem(), "order.*").json().get("id").asText();
    Thread.sleep(Duration.between(Instant.now(), brief.certificate().getNotAfter().toInstant()).toMillis() + 1_000);

    Response paused = tenant.call("PATCH", "/v1/subscriptions/" + id, "{\"isPaused\":true}");
    assertThat(paused.status()).as("%s", paused.json()).isEqualTo(200);
    assertThat(paused.json().get("isPaused").asBoolean()).isTrue();
    // Another expired certificate is still refused.
    ObjectNode patch = HeraldHarness.JSON.createObjectNode();
    patch.set("auth", auth(expired.certificatePem(), expired.keyPem()));
    Response refused = tenant.call("PATCH", "/v1/subscriptions/" + id, patch.toString());
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json().get("errors").findValuesAsText("pointer")).containsExactly("/auth/certificate");
  }

  @Test
  void theOwnerIsToldOnceOfACertificateExpiringIn10DaysAndNotOfOneIn60() throws Exception {
    Instant now = Instant.now();
    TestPki.Credential soon = CA.client("soon", now.minus(Duration.ofDays(80)), now.plus(Duration.ofDays(10)));
    TestPki.Credential later = CA.client("later", now.minus(Duration.ofDays(30)), now.plus(Duration.ofDays(60)));
    // The tenant's operations endpoint listens to the notices.
    assertThat(tenant.call("POST", "/v1/subscriptions", "{\"name\":\"ops\",\"url\":\"" + tenant.receiver().url()
        + "\",\"events\":[\"subscription.certificate_expiring\"]}").status()).isEqualTo(201);
    String soonId = create("/soon", soon.certificatePem(), soon.keyPem(), "never.*").json().get("id").asText();
    String laterId = create("/later", later.certificatePem(), later.keyPem(), "never.*").json().get("id").asText();

    JsonNode listed = tenant.herald().awaitJson("/v1/notifications?type=subscription.certificate_expiring",
        n -> n.get("data").size() > 0, Duration.ofSeconds(20), tenant.key());
    RecordedRequest event = tenant.receiver().awaitRequests(1, Duration.ofSeconds(20)).get(0);
    Thread.sleep(3_500); // three more sweeper passes: nothing more is told

    JsonNode notifications = tenant.call("GET", "/v1/notifications", null).json().get("data");
    assertThat(notifications).hasSize(1);
    JsonNode notice = notifications.get(0);
    assertThat(notice).isEqualTo(listed.get("data").get(0));
    assertThat(notice.get("type").asText()).isEqualTo("subscription.certificate_expiring");
    assertThat(notice.get("subscriptionId").asText()).isEqualTo(soonId).isNotEqualTo(laterId);
    assertThat(notice.get("detail").asText()).contains("CN=soon,O=Herald Tests")
        .contains(soon.certificate().getNotAfter().toInstant().toString());
    assertThat(tenant.receiver().requests()).hasSize(1);
    JsonNode sent = HeraldHarness.JSON.readTree(event.bodyUtf8());
    assertThat(sent.get("type").asText()).isEqualTo("subscription.certificate_expiring");
    assertThat(sent.get("data").get("subscriptionId").asText()).isEqualTo(soonId);
    assertThat(sent.get("data").get("subject").asText()).isEqualTo("CN=soon,O=Herald Tests");
    assertThat(sent.get("data").get("expiresAt").asText())
        .isEqualTo(soon.certificate().getNotAfter().toInstant().toString());
    assertThat(event.bodyUtf8()).doesNotContain(soon.keyPem().split("\n")[1]);
  }

  private Response create(String path, String certificate, String key, String events) throws Exception {
    Response r = tenant.call("POST", "/v1/subscriptions", subscription(path, certificate, key, events).toString());
    assertThat(r.status()).as("%s", r.json()).isEqualTo(201);
    return r;
  }

  private ObjectNode subscription(String path, String certificate, String key, String events) {
    ObjectNode body = HeraldHarness.JSON.createObjectNode();
    body.put("name", "mtls" + path.replace('/', '-'));
    body.put("url", endpoint.url(path));
    body.putArray("events").add(events);
    body.set("auth", auth(certificate, key));
    return body;
  }

  private static ObjectNode auth(String certificate, String key) {
    ObjectNode auth = HeraldHarness.JSON.createObjectNode();
    auth.put("type", "mtls");
    auth.put("certificate", certificate);
    auth.put("privateKey", key);
    auth.put("caCertificates", CA.pem());
    return auth;
  }

  /** The errors of a 422, as {@code pointer: detail}. */
  private List<String> errors(ObjectNode body) throws Exception {
    Response r = tenant.call("POST", "/v1/subscriptions", body.toString());
    assertThat(r.status()).as("%s", r.json()).isEqualTo(422);
    List<String> errors = new ArrayList<>();
    r.json().get("errors").forEach(e -> errors.add(e.get("pointer").asText() + ": " + e.get("message").asText()));
    return errors;
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
}
