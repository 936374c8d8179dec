package dev.herald.worker.e2e;

import static dev.herald.worker.e2e.ApiContractTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import dev.herald.core.tenant.Scope;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import dev.herald.testing.receiver.RecordedRequest;
import dev.herald.worker.e2e.HeraldHarness.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The subscriptions API (docs/openapi.yaml) through HTTP, each test as its own tenant: list, PATCH,
 * DELETE, the subscription limit, filters, the test event and secret rotation, with signatures
 * checked by the official Standard Webhooks library.
 */
class SubscriptionApiTest {

  private static HeraldHarness herald;
  private static int tenants;
  private LoopbackReceiver receiver;
  private String key;

  @BeforeAll
  static void start() throws Exception {
    herald = new HeraldHarness();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @BeforeEach
  void tenantAndReceiver() {
    key = herald.newTenantKey("tenant-" + ++tenants, null, Scope.all());
    receiver = LoopbackReceiver.start();
    receiver.setDefault(ReceiverResponse.status(204));
  }

  @AfterEach
  void closeReceiver() {
    receiver.close();
  }

  @Test
  void listsPageNewestFirstAndACursorNeitherRepeatsNorSkips() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      ids.add(create("{\"name\":\"s" + i + "\",\"url\":\"" + receiver.url() + "\",\"events\":[\"*\"],"
          + "\"headers\":{\"X-Secret-Token\":\"t\"}}").get("id").asText());
    }
    JsonNode first = call("GET", "/v1/subscriptions?limit=2", null).json();
    assertThat(names(first)).containsExactly("s5", "s4");
    assertThat(first.get("data").get(0).has("headers")).as("lists omit headers").isFalse();
    assertThat(first.get("data").get(0).has("secret")).isFalse();

    create("{\"name\":\"s6\",\"url\":\"" + receiver.url() + "\",\"events\":[\"*\"]}");
    JsonNode second = call("GET", "/v1/subscriptions?limit=2&cursor=" + first.get("nextCursor").asText(), null).json();
    assertThat(names(second)).containsExactly("s3", "s2");
    JsonNode third = call("GET", "/v1/subscriptions?limit=2&cursor=" + second.get("nextCursor").asText(), null).json();
    assertThat(names(third)).containsExactly("s1");
    assertThat(third.get("nextCursor").isNull()).isTrue();

    JsonNode all = call("GET", "/v1/subscriptions", null).json();
    assertThat(names(all)).containsExactly("s6", "s5", "s4", "s3", "s2", "s1");
    assertThat(all.get("nextCursor").isNull()).isTrue();
  }

  @Test
  void badPagingParametersAreNamedInA422() throws Exception {
    Response r = call("GET", "/v1/subscriptions?limit=0&cursor=bm90LWEtY3Vyc29y", null);
    assertProblem(r, 422, "invalid_request");
    assertThat(r.json().get("errors").findValuesAsText("parameter")).containsExactly("limit", "cursor");
    assertProblem(call("GET", "/v1/subscriptions?limit=101", null), 422, "invalid_request");
    assertProblem(call("GET", "/v1/subscriptions?limit=ten", null), 422, "invalid_request");
  }

  @Test
  void patchChangesOnlyWhatItNames() throws Exception {
    JsonNode created = create("{\"name\":\"orders\",\"url\":\"" + receiver.url() + "\","
        + "\"events\":[\"order.*\"],\"filter\":{\"workspaceId\":\"w_1\"},\"headers\":{\"X-Team\":\"a\"}}");
    String id = created.get("id").asText();

    Response patched = call("PATCH", "/v1/subscriptions/" + id, "{\"name\":\"renamed\",\"timeoutSeconds\":10}");
    assertThat(patched.status()).isEqualTo(200);
    JsonNode s = patched.json();
    assertThat(s.get("name").asText()).isEqualTo("renamed");
    assertThat(s.get("timeoutSeconds").asInt()).isEqualTo(10);
    assertThat(s.get("url").asText()).isEqualTo(receiver.url());
    assertThat(s.get("events").toString()).isEqualTo("[\"order.*\"]");
    assertThat(s.get("filter").toString()).isEqualTo("{\"workspaceId\":\"w_1\"}");
    assertThat(s.get("headers").toString()).isEqualTo("{\"X-Team\":\"a\"}");
    assertThat(s.has("secret")).isFalse();
    assertThat(s.get("updatedAt").asText()).isGreaterThanOrEqualTo(created.get("updatedAt").asText());

    JsonNode exponential = call("PATCH", "/v1/subscriptions/" + id,
        "{\"maxRetries\":3,\"retryDelaySeconds\":10,\"filter\":null}").json();
    assertThat(exponential.get("retrySchedule").toString()).isEqualTo("[10,20,40]");
    assertThat(exponential.get("filter").toString()).isEqualTo("{}");
    assertThat(call("GET", "/v1/subscriptions/" + id, null).json()).isEqualTo(exponential);
  }

  @Test
  void anInvalidPatchIsRefusedWholeAndChangesNothing() throws Exception {
    String id = create("{\"name\":\"orders\",\"url\":\"" + receiver.url() + "\",\"events\":[\"*\"]}")
        .get("id").asText();
    JsonNode before = call("GET", "/v1/subscriptions/" + id, null).json();

    Response r = call("PATCH", "/v1/subscriptions/" + id,
        "{\"name\":\"ok\",\"timeoutSeconds\":31,\"events\":[],\"retrySchedule\":[5,0],"
            + "\"headers\":{\"Webhook-Signature\":\"x\",\"bad header\":\"y\"},\"isPaused\":\"yes\","
            + "\"secret\":\"whsec_x\"}");
    assertProblem(r, 422, "invalid_request");
    assertThat(r.json().get("errors").findValuesAsText("pointer"))
        .containsExactlyInAnyOrder("/secret", "/isPaused", "/timeoutSeconds", "/events",
            "/retrySchedule/1", "/headers/Webhook-Signature", "/headers/bad header");
    r = call("PATCH", "/v1/subscriptions/" + id,
        "{\"name\":\"ok\",\"timeoutSeconds\":31,\"events\":[],\"retrySchedule\":[5,0],"
            + "\"headers\":{\"Webhook-Signature\":\"x\",\"bad header\":\"y\"}}");
    assertProblem(r, 422, "invalid_request");
    assertThat(r.json().get("errors").findValuesAsText("pointer"))
        .containsExactlyInAnyOrder("/timeoutSeconds", "/events", "/retrySchedule/1",
            "/headers/Webhook-Signature", "/headers/bad header");
    assertProblem(call("PATCH", "/v1/subscriptions/" + id, "{\"name\":null}"), 422, "invalid_request");
    assertProblem(call("PATCH", "/v1/subscriptions/" + id, "{\"url\":\"ftp://example.com/\"}"), 422, "invalid_url");
    assertProblem(call("PATCH", "/v1/subscriptions/" + id, "{\"url\":\"http://169.254.169.254/\"}"), 422,
        "blocked_address");
    assertProblem(call("PATCH", "/v1/subscriptions/" + id, "[]"), 422, "invalid_request");
    assertProblem(call("PATCH", "/v1/subscriptions/" + id, "{\"name\":"), 400, "invalid_json");
    assertProblem(call("PATCH", "/v1/subscriptions/sub_nope", "{\"name\":\"x\"}"), 404, "not_found");

    assertThat(call("GET", "/v1/subscriptions/" + id, null).json()).isEqualTo(before);
  }

  @Test
  void createRefusesUnknownFields() throws Exception {
    Response r = call("POST", "/v1/subscriptions",
        "{\"name\":\"x\",\"url\":\"" + receiver.url() + "\",\"events\":[\"*\"],\"retries\":3}");
    assertProblem(r, 422, "invalid_request");
    assertThat(r.json().get("errors").findValuesAsText("pointer")).containsExactly("/retries");
  }

  @Test
  void deleteCancelsUnfinishedDeliveriesAndTheSubscriptionIsGone() throws Exception {
    String id = create("{\"name\":\"doomed\",\"url\":\"" + receiver.url() + "\",\"events\":[\"*\"]}")
        .get("id").asText();
    assertThat(call("PATCH", "/v1/subscriptions/" + id, "{\"isPaused\":true}").json()
        .get("isPaused").asBoolean()).isTrue();
    String eventId = "evt_doomed_" + id;
    publish("{\"id\":\"" + eventId + "\",\"type\":\"a.b\",\"data\":{}}");
    JsonNode held = call("GET", "/v1/events/" + eventId, null).json().get("deliveries").get(0);
    assertThat(held.get("status").asText()).isEqualTo("held");

    Response deleted = call("DELETE", "/v1/subscriptions/" + id, null);
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(deleted.json()).isNull();

    assertProblem(call("GET", "/v1/subscriptions/" + id, null), 404, "not_found");
    assertProblem(call("DELETE", "/v1/subscriptions/" + id, null), 404, "not_found");
    assertProblem(call("PATCH", "/v1/subscriptions/" + id, "{\"name\":\"x\"}"), 404, "not_found");
    assertThat(names(call("GET", "/v1/subscriptions", null).json())).isEmpty();
    JsonNode cancelled = call("GET", "/v1/deliveries/" + held.get("id").asText(), null).json();
    assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
    assertThat(cancelled.get("completedAt").isNull()).isFalse();
    assertThat(receiver.requests()).isEmpty();
  }

  @Test
  void deleteStopsTheWorkflowOfADeliveryWaitingOutALongBackoff() throws Exception {
    receiver.setDefault(ReceiverResponse.status(503));
    String id = create("{\"name\":\"slow\",\"url\":\"" + receiver.url() + "\",\"events\":[\"*\"],"
        + "\"retrySchedule\":[600]}").get("id").asText();
    String eventId = "evt_backoff_" + id;
    publish("{\"id\":\"" + eventId + "\",\"type\":\"a.b\",\"data\":{}}");
    String deliveryId = call("GET", "/v1/events/" + eventId, null).json().get("deliveries").get(0).get("id").asText();
    herald.awaitJson("/v1/deliveries/" + deliveryId, d -> d.get("status").asText().equals("retrying"),
        Duration.ofSeconds(20), key);

    assertThat(call("DELETE", "/v1/subscriptions/" + id, null).status()).isEqualTo(204);
    assertThat(call("GET", "/v1/deliveries/" + deliveryId, null).json().get("status").asText())
        .isEqualTo("cancelled");
    // The workflow ends now, not in ten minutes.
    herald.temporalClient().newUntypedWorkflowStub("delivery-" + deliveryId)
        .getResult(10, TimeUnit.SECONDS, Void.class);
    assertThat(call("GET", "/v1/deliveries/" + deliveryId, null).json().get("status").asText())
        .isEqualTo("cancelled");
    assertThat(receiver.requests()).hasSize(1);
  }

  @Test
  void theSubscriptionLimitAnswers429AndDeletedSubscriptionsDoNotCount() throws Exception {
    key = herald.newTenantKey("limited-" + ++tenants, 2, Scope.all());
    String body = "{\"name\":\"x\",\"url\":\"" + receiver.url() + "\",\"events\":[\"*\"]}";
    String first = create(body).get("id").asText();
    create(body);
    assertProblem(call("POST", "/v1/subscriptions", body), 429, "subscription_limit");
    assertThat(call("DELETE", "/v1/subscriptions/" + first, null).status()).isEqualTo(204);
    assertThat(call("POST", "/v1/subscriptions", body).status()).isEqualTo(201);
    assertProblem(call("POST", "/v1/subscriptions", body), 429, "subscription_limit");
  }

  @Test
  void aFilterSelectsEventsByTheirAttributes() throws Exception {
    create("{\"name\":\"w42\",\"url\":\"" + receiver.url() + "\",\"events\":[\"*\"],"
        + "\"filter\":{\"workspaceId\":\"w_42\",\"region\":\"eu\"}}");
    assertThat(publish("{\"type\":\"a.b\",\"data\":{},\"attributes\":{\"workspaceId\":\"w_42\","
        + "\"region\":\"eu\",\"extra\":\"x\"}}").json().get("deliveries").asInt()).isEqualTo(1);
    assertThat(publish("{\"type\":\"a.b\",\"data\":{},\"attributes\":{\"workspaceId\":\"w_42\"}}")
        .json().get("deliveries").asInt()).isZero();
    assertThat(publish("{\"type\":\"a.b\",\"data\":{},\"attributes\":{\"workspaceId\":\"w_43\","
        + "\"region\":\"eu\"}}").json().get("deliveries").asInt()).isZero();
    assertThat(publish("{\"type\":\"a.b\",\"data\":{}}").json().get("deliveries").asInt()).isZero();
  }

  @Test
  void theTestEventGoesToThisSubscriptionAloneAndVerifies() throws Exception {
    JsonNode target = create("{\"name\":\"target\",\"url\":\"" + receiver.url("/a") + "\",\"events\":[\"order.paid\"]}");
    create("{\"name\":\"bystander\",\"url\":\"" + receiver.url("/b") + "\",\"events\":[\"*\"]}");
    String id = target.get("id").asText();

    Response sent = call("POST", "/v1/subscriptions/" + id + "/test", null);
    assertThat(sent.status()).isEqualTo(202);
    String deliveryId = sent.json().get("deliveryId").asText();
    assertThat(deliveryId).startsWith("dlv_");

    RecordedRequest request = receiver.takeRequest(Duration.ofSeconds(20));
    assertThat(request).isNotNull();
    assertThat(request.path()).isEqualTo("/a");
    assertThat(request.header("herald-event-type")).isEqualTo("webhook.test");
    assertThat(request.header("herald-delivery-id")).isEqualTo(deliveryId);
    new Webhook(target.get("secret").asText()).verify(request.bodyUtf8(), headersOf(request));
    JsonNode body = HeraldHarness.JSON.readTree(request.body());
    assertThat(body.get("type").asText()).isEqualTo("webhook.test");
    assertThat(body.get("data").get("subscriptionId").asText()).isEqualTo(id);
    herald.awaitJson("/v1/deliveries/" + deliveryId, d -> d.get("status").asText().equals("succeeded"),
        Duration.ofSeconds(10), key);
    assertThat(receiver.requests()).hasSize(1);
    assertProblem(call("POST", "/v1/subscriptions/sub_nope/test", null), 404, "not_found");
  }

  @Test
  void duringTheGraceBothSecretsSignAndAfterARotationWithoutGraceOnlyTheNewOne() throws Exception {
    JsonNode created = create("{\"name\":\"rotating\",\"url\":\"" + receiver.url() + "\",\"events\":[\"x\"]}");
    String id = created.get("id").asText();
    String original = created.get("secret").asText();

    Response rotated = call("POST", "/v1/subscriptions/" + id + "/rotate-secret", "{\"graceSeconds\":3600}");
    assertThat(rotated.status()).isEqualTo(200);
    String second = rotated.json().get("secret").asText();
    assertThat(second).startsWith("whsec_").isNotEqualTo(original);
    RecordedRequest duringGrace = sendTest(id);
    assertThat(duringGrace.header("webhook-signature").split(" ")).hasSize(2);
    new Webhook(second).verify(duringGrace.bodyUtf8(), headersOf(duringGrace));
    new Webhook(original).verify(duringGrace.bodyUtf8(), headersOf(duringGrace));

    // A second rotation with grace keeps one previous secret: the second, not the original.
    String third = call("POST", "/v1/subscriptions/" + id + "/rotate-secret", "{\"graceSeconds\":60}")
        .json().get("secret").asText();
    RecordedRequest again = sendTest(id);
    assertThat(again.header("webhook-signature").split(" ")).hasSize(2);
    new Webhook(third).verify(again.bodyUtf8(), headersOf(again));
    new Webhook(second).verify(again.bodyUtf8(), headersOf(again));
    assertThatThrownBy(() -> new Webhook(original).verify(again.bodyUtf8(), headersOf(again)))
        .isInstanceOf(WebhookVerificationException.class);

    String fourth = call("POST", "/v1/subscriptions/" + id + "/rotate-secret", null).json().get("secret").asText();
    RecordedRequest after = sendTest(id);
    assertThat(after.header("webhook-signature").split(" ")).hasSize(1);
    new Webhook(fourth).verify(after.bodyUtf8(), headersOf(after));
    assertThatThrownBy(() -> new Webhook(third).verify(after.bodyUtf8(), headersOf(after)))
        .isInstanceOf(WebhookVerificationException.class);
    assertThat(call("GET", "/v1/subscriptions/" + id, null).json().has("secret")).isFalse();
  }

  @Test
  void rotationRefusesABadGraceAndUnknownSubscriptions() throws Exception {
    String id = create("{\"name\":\"r\",\"url\":\"" + receiver.url() + "\",\"events\":[\"x\"]}").get("id").asText();
    String path = "/v1/subscriptions/" + id + "/rotate-secret";
    assertProblem(call("POST", path, "{\"graceSeconds\":604801}"), 422, "invalid_request");
    assertProblem(call("POST", path, "{\"graceSeconds\":-1}"), 422, "invalid_request");
    assertProblem(call("POST", path, "{\"graceSeconds\":\"soon\"}"), 422, "invalid_request");
    assertProblem(call("POST", path, "{\"grace\":10}"), 422, "invalid_request");
    assertProblem(call("POST", path, "{\"graceSeconds\":"), 400, "invalid_json");
    assertProblem(call("POST", "/v1/subscriptions/sub_nope/rotate-secret", "{}"), 404, "not_found");
    assertProblem(herald.call("POST", path, "graceSeconds=10", key, "text/plain"), 415, "unsupported_media_type");
    assertThat(herald.call("POST", path, null, key, null).status()).as("no body at all").isEqualTo(200);
    assertThat(call("POST", path, "{\"graceSeconds\":604800}").status()).isEqualTo(200);
  }

  @Test
  void noRetryIsOneAttemptAndSuchASubscriptionCanStillBeChanged() throws Exception {
    receiver.setDefault(ReceiverResponse.status(503));
    JsonNode created = create("{\"name\":\"once\",\"url\":\"" + receiver.url() + "\","
        + "\"events\":[\"*\"],\"maxRetries\":0,\"retryDelaySeconds\":5}");
    String id = created.get("id").asText();
    assertThat(created.get("retrySchedule").toString()).isEqualTo("[]");
    assertThat(call("GET", "/v1/subscriptions/" + id, null).json().get("retrySchedule").toString())
        .isEqualTo("[]");

    // Every change validates the stored schedule again: an empty one must pass.
    Response paused = call("PATCH", "/v1/subscriptions/" + id, "{\"isPaused\":true}");
    assertThat(paused.status()).as("%s", paused.json()).isEqualTo(200);
    assertThat(paused.json().get("retrySchedule").toString()).isEqualTo("[]");
    Response renamed = call("PATCH", "/v1/subscriptions/" + id, "{\"isPaused\":false,\"name\":\"just once\"}");
    assertThat(renamed.status()).as("%s", renamed.json()).isEqualTo(200);
    assertThat(renamed.json().get("retrySchedule").toString()).isEqualTo("[]");

    // One attempt, then failed: no retry is planned.
    String eventId = "evt_once_" + id;
    publish("{\"id\":\"" + eventId + "\",\"type\":\"a.b\",\"data\":{}}");
    String deliveryId = call("GET", "/v1/events/" + eventId, null).json().get("deliveries").get(0).get("id").asText();
    JsonNode failed = herald.awaitJson("/v1/deliveries/" + deliveryId,
        d -> d.get("status").asText().equals("failed"), Duration.ofSeconds(20), key);
    assertThat(failed.get("attemptCount").asInt()).isEqualTo(1);
    assertThat(failed.get("attempts")).hasSize(1);
    assertThat(failed.get("nextAttemptAt").isNull()).isTrue();
    assertThat(receiver.requests()).hasSize(1);

    // The same given directly, on create and in a change, and back to a retry.
    JsonNode direct = create("{\"name\":\"direct\",\"url\":\"" + receiver.url() + "\","
        + "\"events\":[\"x\"],\"retrySchedule\":[]}");
    assertThat(direct.get("retrySchedule").toString()).isEqualTo("[]");
    String directId = direct.get("id").asText();
    assertThat(call("PATCH", "/v1/subscriptions/" + directId, "{\"retrySchedule\":[5]}").json()
        .get("retrySchedule").toString()).isEqualTo("[5]");
    assertThat(call("PATCH", "/v1/subscriptions/" + directId, "{\"retrySchedule\":[]}").json()
        .get("retrySchedule").toString()).isEqualTo("[]");
    assertThat(call("PATCH", "/v1/subscriptions/" + directId, "{\"retrySchedule\":null}").json()
        .get("retrySchedule").toString()).isEqualTo("[5,300,1800,7200,18000,36000,36000]");
    Response tooMany = call("PATCH", "/v1/subscriptions/" + directId,
        "{\"retrySchedule\":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}");
    assertProblem(tooMany, 422, "invalid_request");
    assertThat(tooMany.json().get("errors").findValuesAsText("pointer")).containsExactly("/retrySchedule");
  }

  @Test
  void aPatchMergesDisableAfterAndHeaderNamesButReplacesSignatureWhole() throws Exception {
    String id = create("{\"name\":\"merge\",\"url\":\"" + receiver.url() + "\",\"events\":[\"*\"],"
        + "\"disableAfter\":{\"failures\":7,\"seconds\":3600},"
        + "\"headerNames\":{\"eventType\":\"X-Event\",\"deliveryId\":\"X-Delivery\"},"
        + "\"signature\":{\"scheme\":\"hmac-sha256-hex\",\"header\":\"X-Hub-Signature-256\","
        + "\"prefix\":\"sha256=\"}}").get("id").asText();
    String path = "/v1/subscriptions/" + id;

    JsonNode s = call("PATCH", path, "{\"disableAfter\":{\"failures\":5}}").json();
    assertThat(s.get("disableAfter").toString()).isEqualTo("{\"failures\":5,\"seconds\":3600}");
    s = call("PATCH", path, "{\"disableAfter\":{\"seconds\":60}}").json();
    assertThat(s.get("disableAfter").toString()).isEqualTo("{\"failures\":5,\"seconds\":60}");
    // A field set to null goes back to its default; the object set to null, all of it.
    s = call("PATCH", path, "{\"disableAfter\":{\"failures\":null}}").json();
    assertThat(s.get("disableAfter").toString()).isEqualTo("{\"failures\":20,\"seconds\":60}");
    s = call("PATCH", path, "{\"disableAfter\":null}").json();
    assertThat(s.get("disableAfter").toString()).isEqualTo("{\"failures\":20,\"seconds\":86400}");
    assertProblem(call("PATCH", path, "{\"disableAfter\":{\"failures\":-1}}"), 422, "invalid_request");

    s = call("PATCH", path, "{\"headerNames\":{\"attempt\":null}}").json();
    assertThat(s.get("headerNames").toString())
        .isEqualTo("{\"eventType\":\"X-Event\",\"deliveryId\":\"X-Delivery\",\"attempt\":null}");
    s = call("PATCH", path, "{\"headerNames\":{\"eventType\":\"X-Kind\"}}").json();
    assertThat(s.get("headerNames").toString())
        .isEqualTo("{\"eventType\":\"X-Kind\",\"deliveryId\":\"X-Delivery\",\"attempt\":null}");

    // The signature's fields depend on its scheme: a patch gives the whole of it.
    s = call("PATCH", path, "{\"signature\":{\"scheme\":\"hmac-sha256-hex\"}}").json();
    assertThat(s.get("signature").get("header").asText()).isEqualTo("Herald-Signature");
    assertThat(s.get("signature").path("prefix").asText("")).as("the stored prefix is not kept").isEmpty();
    assertThat(s.get("disableAfter").toString()).isEqualTo("{\"failures\":20,\"seconds\":86400}");
    assertThat(call("GET", path, null).json()).isEqualTo(s);
  }

  @Test
  void lengthsCountCharactersNotUtf16Units() throws Exception {
    String smile = "\uD83D\uDE42";
    Response fits = call("POST", "/v1/subscriptions", "{\"name\":\"" + smile.repeat(200) + "\",\"url\":\""
        + receiver.url() + "\",\"events\":[\"*\"],\"filter\":{\"team\":\"" + smile.repeat(256) + "\"}}");
    assertThat(fits.status()).as("%s", fits.json()).isEqualTo(201);
    assertThat(fits.json().get("name").asText()).isEqualTo(smile.repeat(200));

    Response tooLong = call("POST", "/v1/subscriptions", "{\"name\":\"" + smile.repeat(201) + "\",\"url\":\""
        + receiver.url() + "\",\"events\":[\"*\"],\"filter\":{\"team\":\"" + smile.repeat(257) + "\"}}");
    assertProblem(tooLong, 422, "invalid_request");
    assertThat(tooLong.json().get("errors").findValuesAsText("pointer"))
        .containsExactlyInAnyOrder("/name", "/filter/team");
    assertThat(tooLong.json().get("errors").findValuesAsText("message"))
        .contains("must be at most 200 characters");
  }

  @Test
  void aStarInAFilterValueIsRefusedSinceValuesMatchExactly() throws Exception {
    Response r = call("POST", "/v1/subscriptions", "{\"name\":\"w\",\"url\":\"" + receiver.url() + "\","
        + "\"events\":[\"*\"],\"filter\":{\"workspaceId\":\"w_*\",\"region\":\"eu\",\"a/b\":\"*\"}}");
    assertProblem(r, 422, "invalid_request");
    assertThat(r.json().get("errors").findValuesAsText("pointer"))
        .containsExactlyInAnyOrder("/filter/workspaceId", "/filter/a~1b");
    assertThat(r.json().get("errors").get(0).get("message").asText()).contains("exactly");

    String id = create("{\"name\":\"w\",\"url\":\"" + receiver.url() + "\",\"events\":[\"*\"],"
        + "\"filter\":{\"workspaceId\":\"w_1\"}}").get("id").asText();
    Response patched = call("PATCH", "/v1/subscriptions/" + id, "{\"filter\":{\"workspaceId\":\"*\"}}");
    assertProblem(patched, 422, "invalid_request");
    assertThat(patched.json().get("errors").findValuesAsText("pointer")).containsExactly("/filter/workspaceId");
  }

  @Test
  void theTestEventIsDeliveredButStaysOutOfTheFeed() throws Exception {
    String id = create("{\"name\":\"t\",\"url\":\"" + receiver.url() + "\",\"events\":[\"*\"]}")
        .get("id").asText();
    String published = publish("{\"type\":\"order.paid\",\"data\":{}}").json().get("id").asText();
    RecordedRequest test = sendTest(id);
    assertThat(test.header("herald-event-type")).isEqualTo("webhook.test");
    String later = publish("{\"type\":\"order.paid\",\"data\":{}}").json().get("id").asText();

    JsonNode feed = call("GET", "/v1/events", null).json();
    assertThat(feed.get("data").findValuesAsText("id")).containsExactly(published, later);
    assertThat(call("GET", "/v1/events?type=webhook.test", null).json().get("data")).isEmpty();
  }

  @Test
  void everyTimeShownHasExactlyMillisecondPrecision() throws Exception {
    receiver.setDefault(ReceiverResponse.status(503));
    JsonNode created = create("{\"name\":\"times\",\"url\":\"" + receiver.url() + "\",\"events\":[\"*\"],"
        + "\"retrySchedule\":[1]}");
    String id = created.get("id").asText();
    String eventId = "evt_times_" + id;
    publish("{\"id\":\"" + eventId + "\",\"type\":\"a.b\",\"data\":{}}");
    String deliveryId = call("GET", "/v1/events/" + eventId, null).json().get("deliveries").get(0).get("id").asText();
    JsonNode delivery = herald.awaitJson("/v1/deliveries/" + deliveryId,
        d -> d.get("status").asText().equals("failed"), Duration.ofSeconds(30), key);

    List<String> times = new ArrayList<>();
    collectTimes(created, times);
    collectTimes(call("GET", "/v1/subscriptions/" + id, null).json(), times);
    collectTimes(call("GET", "/v1/events/" + eventId, null).json(), times);
    collectTimes(call("GET", "/v1/events", null).json(), times);
    collectTimes(delivery, times);
    collectTimes(call("GET", "/v1/deliveries?subscriptionId=" + id, null).json(), times);
    assertThat(delivery.get("completedAt").isNull()).isFalse();
    assertThat(delivery.get("attempts")).hasSize(2);
    // createdAt, updatedAt, lastDeliveryAt, completedAt, startedAt of each attempt, and more.
    assertThat(times).hasSizeGreaterThanOrEqualTo(12)
        .allSatisfy(t -> assertThat(t).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z"));
  }

  /** The values of every field named like a time ({@code …At}) anywhere in {@code node}. */
  private static void collectTimes(JsonNode node, List<String> times) {
    if (node.isArray()) {
      node.forEach(n -> collectTimes(n, times));
    } else if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        if (e.getKey().endsWith("At") && e.getValue().isTextual()) {
          times.add(e.getValue().asText());
        } else {
          collectTimes(e.getValue(), times);
        }
      });
    }
  }

  private RecordedRequest sendTest(String subscriptionId) throws Exception {
    receiver.requests();
    Response sent = call("POST", "/v1/subscriptions/" + subscriptionId + "/test", null);
    assertThat(sent.status()).isEqualTo(202);
    String deliveryId = sent.json().get("deliveryId").asText();
    for (int i = 0; i < 200; i++) {
      for (RecordedRequest r : receiver.requests()) {
        if (deliveryId.equals(r.header("herald-delivery-id"))) {
          return r;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the test delivery " + deliveryId + " did not arrive in 20 s");
  }

  private JsonNode create(String body) throws Exception {
    Response r = call("POST", "/v1/subscriptions", body);
    assertThat(r.status()).as("create: %s", r.json()).isEqualTo(201);
    return r.json();
  }

  private Response publish(String body) throws Exception {
    Response r = call("POST", "/v1/events", body);
    assertThat(r.status()).as("publish: %s", r.json()).isEqualTo(202);
    return r;
  }

  private Response call(String method, String path, String body) throws Exception {
    return herald.call(method, path, body, key, "application/json");
  }

  private static List<String> names(JsonNode page) {
    return page.get("data").findValuesAsText("name");
  }

  static Map<String, List<String>> headersOf(RecordedRequest r) {
    return Map.of(
        "webhook-id", List.of(r.header("webhook-id")),
        "webhook-timestamp", List.of(r.header("webhook-timestamp")),
        "webhook-signature", List.of(r.header("webhook-signature")));
  }
}
