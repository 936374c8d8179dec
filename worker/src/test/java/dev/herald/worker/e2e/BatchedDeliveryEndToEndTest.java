package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import dev.herald.core.signing.NodeVerifier;
import dev.herald.testing.receiver.ReceiverResponse;
import dev.herald.testing.receiver.RecordedRequest;
import dev.herald.worker.e2e.HeraldHarness.Response;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Batched delivery as a user meets it, through HTTP: events published to a subscription with
 * {@code batch} arrive in fewer requests, each {@code {"isBatched":true,"events":[…]}} signed once
 * over the whole body; a failing batch is retried as a unit; a batcher lost while gathering is
 * woken again by the sweeper, and nothing is lost or sent twice.
 */
class BatchedDeliveryEndToEndTest {

  @RegisterExtension static final ReceivingTenant tenant = new ReceivingTenant("batched");

  @Test
  void sevenEventsArriveInThreeSignedBatchedRequests() throws Exception {
    JsonNode sub = subscribe("{\"name\":\"batched\",\"url\":\"" + tenant.receiver().url("/hooks")
        + "\",\"events\":[\"order.*\"],\"batch\":{\"maxEvents\":3,\"maxWaitSeconds\":2}}");
    assertThat(sub.get("batch")).isEqualTo(HeraldHarness.JSON.readTree(
        "{\"maxEvents\":3,\"maxWaitSeconds\":2,\"maxBytes\":262144}"));
    for (int i = 1; i <= 7; i++) {
      publish("{\"id\":\"evt_b" + i + "\",\"type\":\"order.paid\",\"data\":{\"n\":" + i + "}}");
    }

    List<String> eventIds = new ArrayList<>();
    List<RecordedRequest> requests = new ArrayList<>();
    Instant deadline = Instant.now().plusSeconds(30);
    while (eventIds.size() < 7 && Instant.now().isBefore(deadline)) {
      RecordedRequest r = tenant.receiver().takeRequest(Duration.ofSeconds(1));
      if (r == null) {
        continue;
      }
      requests.add(r);
      JsonNode body = HeraldHarness.JSON.readTree(r.body());
      assertThat(body.get("isBatched").asBoolean()).isTrue();
      assertThat(body.size()).as("only isBatched and events").isEqualTo(2);
      body.get("events").forEach(e -> eventIds.add(e.get("id").asText()));
      assertThat(r.header("webhook-id")).startsWith("bat_");
      assertThat(r.header("herald-delivery-id")).isEqualTo(r.header("webhook-id"));
      assertThat(r.header("herald-event-type")).isEqualTo("order.paid");
      // The official verifier, over the whole body.
      new Webhook(sub.get("secret").asText()).verify(r.bodyUtf8(), headersOf(r));
    }
    assertThat(eventIds).containsExactlyInAnyOrder(
        "evt_b1", "evt_b2", "evt_b3", "evt_b4", "evt_b5", "evt_b6", "evt_b7");
    assertThat(requests.size()).as("fewer requests than events").isBetween(3, 6);
    assertThat(requests).allSatisfy(r ->
        assertThat(HeraldHarness.JSON.readTree(r.body()).get("events").size()).isLessThanOrEqualTo(3));

    // Each event in a batch is exactly the unbatched body: {id, type, timestamp, data}.
    JsonNode first = HeraldHarness.JSON.readTree(requests.get(0).body()).get("events").get(0);
    assertThat(first.fieldNames()).toIterable().containsExactly("id", "type", "timestamp", "data");

    JsonNode event = tenant.call("GET", "/v1/events/evt_b1", null).json();
    String deliveryId = event.get("deliveries").get(0).get("id").asText();
    JsonNode delivery = tenant.herald().awaitJson("/v1/deliveries/" + deliveryId,
        d -> d.get("status").asText().equals("succeeded"), Duration.ofSeconds(10), tenant.key());
    assertThat(delivery.get("batchId").asText()).isEqualTo(requests.get(0).header("webhook-id"));
    assertThat(delivery.get("workflowId").asText()).isEqualTo("batch-" + delivery.get("batchId").asText());
    assertThat(delivery.get("attempts")).hasSize(1);
    assertThat(delivery.get("attempts").get(0).get("statusCode").asInt()).isEqualTo(204);
  }

  @Test
  void aFailingBatchIsRetriedAsAUnitWithTheSameIdAndBytes() throws Exception {
    tenant.receiver().enqueue(ReceiverResponse.status(503).withBody("busy"));
    subscribe("{\"name\":\"retried\",\"url\":\"" + tenant.receiver().url() + "\",\"events\":[\"job.*\"],"
        + "\"retrySchedule\":[1],\"batch\":{\"maxEvents\":2,\"maxWaitSeconds\":5}}");
    publish("{\"id\":\"evt_r1\",\"type\":\"job.done\",\"data\":{}}");
    publish("{\"id\":\"evt_r2\",\"type\":\"job.failed\",\"data\":{}}");

    List<RecordedRequest> requests = tenant.receiver().awaitRequests(2, Duration.ofSeconds(30));
    assertThat(requests.get(1).body()).isEqualTo(requests.get(0).body());
    assertThat(requests.get(1).header("webhook-id")).isEqualTo(requests.get(0).header("webhook-id"));
    assertThat(requests.get(0).header("herald-attempt")).isEqualTo("1");
    assertThat(requests.get(1).header("herald-attempt")).isEqualTo("2");
    assertThat(requests.get(0).header("herald-event-type")).isEqualTo("job.done,job.failed");
    JsonNode events = HeraldHarness.JSON.readTree(requests.get(0).body()).get("events");
    assertThat(events).hasSize(2);

    for (String eventId : List.of("evt_r1", "evt_r2")) {
      String deliveryId =
          tenant.call("GET", "/v1/events/" + eventId, null).json().get("deliveries").get(0)
              .get("id").asText();
      JsonNode delivery = tenant.herald().awaitJson("/v1/deliveries/" + deliveryId,
          d -> d.get("status").asText().equals("succeeded"), Duration.ofSeconds(10), tenant.key());
      JsonNode attempts = delivery.get("attempts");
      assertThat(attempts).hasSize(2);
      assertThat(attempts.get(0).get("statusCode").asInt()).isEqualTo(503);
      assertThat(attempts.get(0).get("responseBody").asText()).isEqualTo("busy");
      assertThat(attempts.get(1).get("statusCode").asInt()).isEqualTo(204);
      assertThat(delivery.get("batchId").asText()).isEqualTo(requests.get(0).header("webhook-id"));
    }
  }

  @Test
  void aBatcherLostWhileGatheringIsWokenByTheSweeperAndNothingIsLostOrSentTwice()
      throws Exception {
    JsonNode sub = subscribe("{\"name\":\"crash\",\"url\":\"" + tenant.receiver().url()
        + "\",\"events\":[\"crash.*\"],\"batch\":{\"maxEvents\":100,\"maxWaitSeconds\":3}}");
    String subscriptionId = sub.get("id").asText();
    publish("{\"id\":\"evt_c1\",\"type\":\"crash.one\",\"data\":{}}");
    publish("{\"id\":\"evt_c2\",\"type\":\"crash.two\",\"data\":{}}");
    publish("{\"id\":\"evt_c3\",\"type\":\"crash.three\",\"data\":{}}");

    // The batcher dies while it waits out maxWaitSeconds.
    WorkflowClient client = tenant.herald().temporalClient();
    terminateWhenRunning(client, "batcher-" + subscriptionId);

    List<RecordedRequest> requests = tenant.receiver().awaitRequests(1, Duration.ofSeconds(30));
    // Anything more would have come within this window.
    Thread.sleep(3000);
    requests = tenant.receiver().requests();
    List<String> eventIds = new ArrayList<>();
    for (RecordedRequest r : requests) {
      HeraldHarness.JSON.readTree(r.body()).get("events").forEach(e -> eventIds.add(e.get("id").asText()));
    }
    assertThat(eventIds).containsExactlyInAnyOrder("evt_c1", "evt_c2", "evt_c3");
    assertThat(requests).hasSize(1);
  }

  @Test
  void aPausedSubscriptionsEventsAreHeldAndSentInABatchOnResume() throws Exception {
    JsonNode sub = subscribe("{\"name\":\"paused\",\"url\":\"" + tenant.receiver().url()
        + "\",\"events\":[\"held.*\"],\"batch\":{\"maxEvents\":10,\"maxWaitSeconds\":1}}");
    String id = sub.get("id").asText();
    assertThat(tenant.call("PATCH", "/v1/subscriptions/" + id, "{\"isPaused\":true}").status())
        .isEqualTo(200);
    publish("{\"id\":\"evt_h1\",\"type\":\"held.one\",\"data\":{}}");
    publish("{\"id\":\"evt_h2\",\"type\":\"held.two\",\"data\":{}}");
    String deliveryId = tenant.call("GET", "/v1/events/evt_h1", null).json().get("deliveries").get(0)
        .get("id").asText();
    JsonNode held = tenant.call("GET", "/v1/deliveries/" + deliveryId, null).json();
    assertThat(held.get("status").asText()).isEqualTo("held");
    assertThat(held.get("workflowId").asText()).as("gathered by the batcher").isEqualTo("batcher-" + id);
    assertThat(held.has("batchId")).isFalse();
    Thread.sleep(2500);
    assertThat(tenant.receiver().requests()).as("nothing sent while paused").isEmpty();

    assertThat(tenant.call("PATCH", "/v1/subscriptions/" + id, "{\"isPaused\":false}").status())
        .isEqualTo(200);
    RecordedRequest r = tenant.receiver().takeRequest(Duration.ofSeconds(30));
    assertThat(r).as("the held events arrive once resumed").isNotNull();
    List<String> eventIds = new ArrayList<>();
    HeraldHarness.JSON.readTree(r.body()).get("events").forEach(e -> eventIds.add(e.get("id").asText()));
    assertThat(eventIds).containsExactly("evt_h1", "evt_h2");
    tenant.herald().awaitJson("/v1/deliveries/" + deliveryId,
        d -> d.get("status").asText().equals("succeeded"), Duration.ofSeconds(10), tenant.key());
  }

  @Test
  void aRetryingBatchIsHeldWhilePausedAndSentOnResume() throws Exception {
    tenant.receiver().enqueue(ReceiverResponse.status(503));
    JsonNode sub = subscribe("{\"name\":\"held-batch\",\"url\":\"" + tenant.receiver().url()
        + "\",\"events\":[\"hb.*\"],\"retrySchedule\":[2],"
        + "\"batch\":{\"maxEvents\":2,\"maxWaitSeconds\":5}}");
    String id = sub.get("id").asText();
    publish("{\"id\":\"evt_hb1\",\"type\":\"hb.one\",\"data\":{}}");
    publish("{\"id\":\"evt_hb2\",\"type\":\"hb.two\",\"data\":{}}");
    RecordedRequest first = tenant.receiver().takeRequest(Duration.ofSeconds(20));
    assertThat(first).isNotNull();
    assertThat(tenant.call("PATCH", "/v1/subscriptions/" + id, "{\"isPaused\":true}").status())
        .isEqualTo(200);

    String deliveryId = tenant.call("GET", "/v1/events/evt_hb2", null).json().get("deliveries")
        .get(0).get("id").asText();
    tenant.herald().awaitJson("/v1/deliveries/" + deliveryId,
        d -> d.get("status").asText().equals("held"), Duration.ofSeconds(15), tenant.key());
    assertThat(tenant.receiver().requests()).as("the retry is not sent while paused").hasSize(1);

    assertThat(tenant.call("PATCH", "/v1/subscriptions/" + id, "{\"isPaused\":false}").status())
        .isEqualTo(200);
    RecordedRequest second = tenant.receiver().takeRequest(Duration.ofSeconds(30));
    assertThat(second).as("the held batch is sent once resumed").isNotNull();
    assertThat(second.header("webhook-id")).isEqualTo(first.header("webhook-id"));
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(second.header("herald-attempt")).isEqualTo("2");
    JsonNode delivery = tenant.herald().awaitJson("/v1/deliveries/" + deliveryId,
        d -> d.get("status").asText().equals("succeeded"), Duration.ofSeconds(10), tenant.key());
    assertThat(delivery.get("attempts")).hasSize(2);
  }

  @Test
  void aTemplatedBatchUnderAnotherWireFormatLeavesOutTheEventItsTemplateFailsFor() throws Exception {
    String template = "data.amount ? {\\\"kind\\\": type, \\\"amount\\\": data.amount,"
        + " \\\"region\\\": attributes.region} : $error(\\\"no amount in \\\" & id)";
    JsonNode sub = subscribe("{\"name\":\"templated\",\"url\":\"" + tenant.receiver().url("/bills")
        + "\",\"events\":[\"bill.*\"],\"method\":\"PUT\","
        + "\"signature\":{\"scheme\":\"hmac-sha256-hex\",\"header\":\"X-Hub-Signature-256\","
        + "\"prefix\":\"sha256=\"},\"headerNames\":{\"eventType\":\"X-Kind\"},"
        + "\"body\":{\"format\":\"template\",\"template\":\"" + template + "\"},"
        + "\"batch\":{\"maxEvents\":3,\"maxWaitSeconds\":30}}");
    publish("{\"id\":\"evt_t1\",\"type\":\"bill.paid\",\"data\":{\"amount\":5},"
        + "\"attributes\":{\"region\":\"eu\"}}");
    publish("{\"id\":\"evt_t2\",\"type\":\"bill.voided\",\"data\":{}}");
    publish("{\"id\":\"evt_t3\",\"type\":\"bill.paid\",\"data\":{\"amount\":7},"
        + "\"attributes\":{\"region\":\"us\"}}");

    // Three gathered: sent at once, not after 30 s, without the event the template failed for.
    RecordedRequest r = tenant.receiver().awaitRequests(1, Duration.ofSeconds(20)).get(0);
    assertThat(r.method()).isEqualTo("PUT");
    assertThat(r.path()).isEqualTo("/bills");
    assertThat(r.header("X-Kind")).isEqualTo("bill.paid");
    assertThat(r.header("herald-delivery-id")).startsWith("bat_");
    assertThat(r.header("herald-event-type")).isNull();
    assertThat(r.header("webhook-signature")).as("signed by the subscription's scheme only").isNull();
    assertThat(NodeVerifier.verify("hmac-sha256-hex", sub.get("secret").asText(),
        r.header("X-Hub-Signature-256"), r.body(), "sha256=")).isEqualTo("valid");
    assertThat(HeraldHarness.JSON.readTree(r.body())).isEqualTo(HeraldHarness.JSON.readTree(
        "{\"isBatched\":true,\"events\":[{\"kind\":\"bill.paid\",\"amount\":5,\"region\":\"eu\"},"
            + "{\"kind\":\"bill.paid\",\"amount\":7,\"region\":\"us\"}]}"));

    JsonNode sent = awaitDelivery("evt_t1", "succeeded");
    assertThat(sent.get("batchId").asText()).isEqualTo(r.header("herald-delivery-id"));
    JsonNode failed = awaitDelivery("evt_t2", "failed");
    assertThat(failed.has("batchId")).as("taken out of the batch").isFalse();
    assertThat(failed.get("attempts")).hasSize(1);
    assertThat(failed.get("attempts").get(0).get("error").asText()).isEqualTo("template");
    assertThat(failed.get("attempts").get(0).get("responseBody").asText())
        .contains("no amount in evt_t2");
    assertThat(awaitDelivery("evt_t3", "succeeded").get("batchId").asText())
        .isEqualTo(r.header("herald-delivery-id"));
    Thread.sleep(500);
    assertThat(tenant.receiver().requests()).as("one request for the batch").hasSize(1);
  }

  @Test
  void aBatchRetriedAfterItsFormatChangedSendsTheBytesOfItsFirstAttempt() throws Exception {
    tenant.receiver().enqueue(ReceiverResponse.status(503));
    JsonNode sub = subscribe("{\"name\":\"data\",\"url\":\"" + tenant.receiver().url()
        + "\",\"events\":[\"doc.*\"],\"retrySchedule\":[3],\"body\":{\"format\":\"data\"},"
        + "\"batch\":{\"maxEvents\":2,\"maxWaitSeconds\":30}}");
    publish("{\"id\":\"evt_d1\",\"type\":\"doc.signed\",\"data\":{\"doc\":1,\"total\":1.10}}");
    publish("{\"id\":\"evt_d2\",\"type\":\"doc.signed\",\"data\":{\"doc\":2}}");
    RecordedRequest first = tenant.receiver().awaitRequests(1, Duration.ofSeconds(20)).get(0);
    assertThat(new String(first.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(
        "{\"isBatched\":true,\"events\":[{\"doc\":1,\"total\":1.10},{\"doc\":2}]}");

    Response patched = tenant.call("PATCH", "/v1/subscriptions/" + sub.get("id").asText(),
        "{\"body\":{\"format\":\"template\",\"template\":\"{\\\"changed\\\": true}\"}}");
    assertThat(patched.status()).as("%s", patched.json()).isEqualTo(200);

    List<RecordedRequest> both = tenant.receiver().awaitRequests(2, Duration.ofSeconds(20));
    assertThat(both.get(1).header("herald-attempt")).isEqualTo("2");
    assertThat(both.get(1).body()).isEqualTo(first.body());
    new Webhook(sub.get("secret").asText()).verify(both.get(1).bodyUtf8(), headersOf(both.get(1)));
    awaitDelivery("evt_d2", "succeeded");
  }

  @Test
  void retryingOneDeliveryOfARetryingBatchSendsTheWholeBatchNow() throws Exception {
    tenant.receiver().enqueue(ReceiverResponse.status(503));
    subscribe("{\"name\":\"retry-now\",\"url\":\"" + tenant.receiver().url()
        + "\",\"events\":[\"rn.*\"],\"retrySchedule\":[3600],"
        + "\"batch\":{\"maxEvents\":2,\"maxWaitSeconds\":30}}");
    publish("{\"id\":\"evt_rn1\",\"type\":\"rn.one\",\"data\":{}}");
    publish("{\"id\":\"evt_rn2\",\"type\":\"rn.two\",\"data\":{}}");
    RecordedRequest first = tenant.receiver().awaitRequests(1, Duration.ofSeconds(20)).get(0);
    JsonNode waiting = awaitDelivery("evt_rn2", "retrying");
    assertThat(waiting.get("nextAttemptAt").asText()).isNotEmpty();

    Response retried =
        tenant.call("POST", "/v1/deliveries/" + waiting.get("id").asText() + "/retry", null);
    assertThat(retried.status()).as("%s", retried.json()).isEqualTo(202);
    assertThat(retried.json().get("batchId").asText()).isEqualTo(first.header("webhook-id"));

    List<RecordedRequest> both = tenant.receiver().awaitRequests(2, Duration.ofSeconds(15));
    assertThat(both.get(1).header("herald-attempt")).isEqualTo("2");
    assertThat(both.get(1).header("webhook-id")).isEqualTo(first.header("webhook-id"));
    assertThat(both.get(1).body()).isEqualTo(first.body());
    assertThat(awaitDelivery("evt_rn1", "succeeded").get("attempts")).hasSize(2);
    assertThat(awaitDelivery("evt_rn2", "succeeded").get("attempts")).hasSize(2);
  }

  @Test
  void retryingADeliveryStillBeingGatheredIsAConflict() throws Exception {
    subscribe("{\"name\":\"gathering\",\"url\":\"" + tenant.receiver().url()
        + "\",\"events\":[\"gt.*\"],\"batch\":{\"maxEvents\":10,\"maxWaitSeconds\":300}}");
    publish("{\"id\":\"evt_gt1\",\"type\":\"gt.one\",\"data\":{}}");
    String deliveryId = tenant.call("GET", "/v1/events/evt_gt1", null).json().get("deliveries")
        .get(0).get("id").asText();

    Response retried = tenant.call("POST", "/v1/deliveries/" + deliveryId + "/retry", null);
    assertThat(retried.status()).isEqualTo(409);
    assertThat(retried.contentType()).startsWith("application/problem+json");
    assertThat(retried.json().get("code").asText()).isEqualTo("delivery_gathering");
    JsonNode delivery = tenant.call("GET", "/v1/deliveries/" + deliveryId, null).json();
    assertThat(delivery.get("status").asText()).isEqualTo("pending");
    assertThat(delivery.get("workflowId").asText()).startsWith("batcher-");
  }

  @Test
  void aBatchedSubscriptionsPreviewShowsABatchOfTheOneEvent() throws Exception {
    JsonNode sub = subscribe("{\"name\":\"preview\",\"url\":\"" + tenant.receiver().url()
        + "\",\"events\":[\"pv.*\"],\"body\":{\"format\":\"data\"},"
        + "\"batch\":{\"maxEvents\":10,\"maxWaitSeconds\":5}}");
    Response preview = tenant.call("POST", "/v1/subscriptions/" + sub.get("id").asText() + "/preview",
        "{\"type\":\"pv.made\",\"data\":{\"n\":1.50}}");
    assertThat(preview.status()).as("%s", preview.json()).isEqualTo(200);
    assertThat(preview.json().get("body").asText())
        .isEqualTo("{\"isBatched\":true,\"events\":[{\"n\":1.50}]}");
    Map<String, String> headers = new java.util.HashMap<>();
    preview.json().get("headers").forEach(h -> headers.put(h.get("name").asText().toLowerCase(),
        h.get("value").asText()));
    assertThat(headers).containsEntry("webhook-id", "bat_preview")
        .containsEntry("herald-delivery-id", "bat_preview")
        .containsEntry("herald-event-type", "pv.made");
    new Webhook(sub.get("secret").asText()).verify(preview.json().get("body").asText(),
        Map.of("webhook-id", List.of(headers.get("webhook-id")),
            "webhook-timestamp", List.of(headers.get("webhook-timestamp")),
            "webhook-signature", List.of(headers.get("webhook-signature"))));
    assertThat(tenant.receiver().requests()).as("a preview sends nothing").isEmpty();
  }

  @Test
  void batchIsValidatedAndRefusedWithATargetFormatOrWithOrdering() throws Exception {
    Response zero = tenant.call("POST", "/v1/subscriptions", "{\"name\":\"x\",\"url\":\""
        + tenant.receiver().url() + "\",\"events\":[\"*\"],\"batch\":{\"maxEvents\":0,"
        + "\"maxWaitSeconds\":301,\"maxBytes\":10}}");
    assertThat(zero.status()).isEqualTo(422);
    assertThat(zero.contentType()).startsWith("application/problem+json");
    assertThat(zero.json().get("errors").findValuesAsText("pointer"))
        .contains("/batch/maxEvents", "/batch/maxWaitSeconds", "/batch/maxBytes");

    Response slack = tenant.call("POST", "/v1/subscriptions", "{\"name\":\"x\",\"url\":\""
        + tenant.receiver().url() + "\",\"events\":[\"*\"],\"body\":{\"format\":\"slack\"},"
        + "\"batch\":{\"maxEvents\":10,\"maxWaitSeconds\":5}}");
    assertThat(slack.status()).as("a chat target takes one message per request").isEqualTo(422);
    assertThat(slack.json().get("errors").findValuesAsText("pointer")).contains("/batch");
    assertThat(slack.json().toString()).contains("format slack");

    Response ordered = tenant.call("POST", "/v1/subscriptions", "{\"name\":\"x\",\"url\":\""
        + tenant.receiver().url() + "\",\"events\":[\"*\"],\"ordering\":{\"key\":\"orderId\"},"
        + "\"batch\":{\"maxEvents\":10,\"maxWaitSeconds\":5}}");
    assertThat(ordered.status()).as("batch with ordering").isEqualTo(422);
    assertThat(ordered.json().get("errors").findValuesAsText("pointer")).contains("/batch");

    JsonNode sub = subscribe("{\"name\":\"later\",\"url\":\"" + tenant.receiver().url()
        + "\",\"events\":[\"*\"]}");
    assertThat(sub.get("batch").isNull()).isTrue();
    Response patched = tenant.call("PATCH", "/v1/subscriptions/" + sub.get("id").asText(),
        "{\"batch\":{\"maxEvents\":10,\"maxWaitSeconds\":5,\"maxBytes\":2048}}");
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.json().get("batch").get("maxBytes").asInt()).isEqualTo(2048);
    Response off = tenant.call("PATCH", "/v1/subscriptions/" + sub.get("id").asText(),
        "{\"batch\":null}");
    assertThat(off.json().get("batch").isNull()).isTrue();
  }

  private static void terminateWhenRunning(WorkflowClient client, String workflowId)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(10);
    while (true) {
      try {
        client.newUntypedWorkflowStub(workflowId).terminate("lost with its worker");
        return;
      } catch (RuntimeException e) {
        if (Instant.now().isAfter(deadline)) {
          throw e;
        }
        Thread.sleep(20);
      }
    }
  }

  /** The delivery of this event once it has this status, with its attempts. */
  private static JsonNode awaitDelivery(String eventId, String status) throws Exception {
    String deliveryId = tenant.call("GET", "/v1/events/" + eventId, null).json().get("deliveries")
        .get(0).get("id").asText();
    return tenant.herald().awaitJson("/v1/deliveries/" + deliveryId,
        d -> d.get("status").asText().equals(status), Duration.ofSeconds(20), tenant.key());
  }

  private static JsonNode subscribe(String body) throws Exception {
    Response r = tenant.call("POST", "/v1/subscriptions", body);
    assertThat(r.status()).as("create subscription: %s", r.json()).isEqualTo(201);
    return r.json();
  }

  private static void publish(String body) throws Exception {
    Response r = tenant.call("POST", "/v1/events", body);
    assertThat(r.status()).as("publish: %s", r.json()).isEqualTo(202);
  }

  private static Map<String, List<String>> headersOf(RecordedRequest r) {
    return Map.of(
        "webhook-id", List.of(r.header("webhook-id")),
        "webhook-timestamp", List.of(r.header("webhook-timestamp")),
        "webhook-signature", List.of(r.header("webhook-signature")));
  }
}
