package dev.herald.worker.e2e;

import static dev.herald.worker.e2e.ApiContractTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.tenant.Scope;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import dev.herald.testing.receiver.RecordedRequest;
import dev.herald.worker.e2e.HeraldHarness.Response;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a support engineer does with one delivery, through HTTP: find it, read its attempts with
 * their error codes, retry it now or once more after it ended, cancel it.
 */
class DeliveryOperationsTest {

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
    key = herald.newTenantKey("ops-" + ++tenants, null, Scope.all());
    receiver = LoopbackReceiver.start();
    receiver.setDefault(ReceiverResponse.status(204));
  }

  @AfterEach
  void closeReceiver() {
    receiver.close();
  }

  @Test
  void retryNowArrivesInSecondsUnderATenMinuteBackoff() throws Exception {
    receiver.enqueue(ReceiverResponse.status(503));
    subscribe(receiver.url(), "[600]");
    String delivery = publishOne("evt_retry_now");
    herald.awaitJson("/v1/deliveries/" + delivery, d -> d.get("status").asText().equals("retrying"),
        Duration.ofSeconds(20), key);
    JsonNode waiting = call("GET", "/v1/deliveries/" + delivery, null).json();
    assertThat(Duration.between(Instant.now(), Instant.parse(waiting.get("nextAttemptAt").asText())))
        .isGreaterThan(Duration.ofMinutes(8));

    Instant asked = Instant.now();
    Response retried = call("POST", "/v1/deliveries/" + delivery + "/retry", null);
    assertThat(retried.status()).isEqualTo(202);
    assertThat(retried.json().get("id").asText()).isEqualTo(delivery);
    List<RecordedRequest> arrived = receiver.awaitRequests(2, Duration.ofSeconds(10));
    assertThat(Duration.between(asked, arrived.get(1).arrivedAt())).isLessThan(Duration.ofSeconds(5));
    assertThat(arrived.get(1).header("herald-attempt")).isEqualTo("2");
    JsonNode done = herald.awaitJson("/v1/deliveries/" + delivery,
        d -> d.get("status").asText().equals("succeeded"), Duration.ofSeconds(10), key);
    assertThat(done.get("attempts")).hasSize(2);
  }

  @Test
  void aFinishedDeliveryRetriedGetsExactlyOneMoreAttempt() throws Exception {
    receiver.setDefault(ReceiverResponse.status(500));
    subscribe(receiver.url(), "[1]");
    String delivery = publishOne("evt_once_more");
    herald.awaitJson("/v1/deliveries/" + delivery, d -> d.get("status").asText().equals("failed"),
        Duration.ofSeconds(20), key);
    assertThat(receiver.requests()).hasSize(2);

    // Still failing: the one more attempt fails and the delivery is failed again, not retrying.
    Response retried = call("POST", "/v1/deliveries/" + delivery + "/retry", null);
    assertThat(retried.status()).isEqualTo(202);
    JsonNode failedAgain = herald.awaitJson("/v1/deliveries/" + delivery,
        d -> d.get("attemptCount").asInt() == 3 && d.get("status").asText().equals("failed"),
        Duration.ofSeconds(20), key);
    assertThat(failedAgain.get("attempts")).hasSize(3);
    assertThat(failedAgain.get("nextAttemptAt").isNull()).isTrue();

    // Fixed: the next retry succeeds with attempt 4, and nothing follows it.
    receiver.setDefault(ReceiverResponse.status(204));
    call("POST", "/v1/deliveries/" + delivery + "/retry", null);
    JsonNode succeeded = herald.awaitJson("/v1/deliveries/" + delivery,
        d -> d.get("status").asText().equals("succeeded"), Duration.ofSeconds(20), key);
    assertThat(succeeded.get("attemptCount").asInt()).isEqualTo(4);
    assertThat(receiver.requests().get(3).header("herald-attempt")).isEqualTo("4");

    // A succeeded delivery may be sent once more too (the receiver lost it, say).
    call("POST", "/v1/deliveries/" + delivery + "/retry", null);
    herald.awaitJson("/v1/deliveries/" + delivery, d -> d.get("attemptCount").asInt() == 5
        && d.get("status").asText().equals("succeeded"), Duration.ofSeconds(20), key);
    Thread.sleep(1500);
    assertThat(receiver.requests()).hasSize(5);
    assertThat(receiver.requests().stream().map(r -> r.header("webhook-id")).distinct())
        .containsExactly("evt_once_more");
  }

  @Test
  void cancellingAWaitingDeliveryEndsIt() throws Exception {
    receiver.setDefault(ReceiverResponse.status(503));
    subscribe(receiver.url(), "[600]");
    String delivery = publishOne("evt_cancel_me");
    herald.awaitJson("/v1/deliveries/" + delivery, d -> d.get("status").asText().equals("retrying"),
        Duration.ofSeconds(20), key);

    Response cancelled = call("POST", "/v1/deliveries/" + delivery + "/cancel", null);
    assertThat(cancelled.status()).isEqualTo(202);
    assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");
    herald.temporalClient().newUntypedWorkflowStub("delivery-" + delivery)
        .getResult(10, TimeUnit.SECONDS, Void.class);
    JsonNode after = call("GET", "/v1/deliveries/" + delivery, null).json();
    assertThat(after.get("status").asText()).isEqualTo("cancelled");
    assertThat(after.get("attempts")).hasSize(1);
    assertThat(receiver.requests()).hasSize(1);
    assertProblem(call("POST", "/v1/deliveries/" + delivery + "/cancel", null), 409, "delivery_finished");
  }

  @Test
  void aHeldDeliveryCannotBeRetriedButCanBeCancelled() throws Exception {
    String sub = subscribe(receiver.url(), "[5]");
    call("PATCH", "/v1/subscriptions/" + sub, "{\"isPaused\":true}");
    String delivery = publishOne("evt_held_op");
    Response refused = call("POST", "/v1/deliveries/" + delivery + "/retry", null);
    assertProblem(refused, 409, "delivery_held");
    assertThat(refused.json().get("detail").asText()).contains("paused");
    Response cancelled = call("POST", "/v1/deliveries/" + delivery + "/cancel", null);
    assertThat(cancelled.status()).isEqualTo(202);
    assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");
    call("PATCH", "/v1/subscriptions/" + sub, "{\"isPaused\":false}");
    Thread.sleep(1500);
    assertThat(receiver.requests()).as("a cancelled delivery is not released").isEmpty();
    assertProblem(call("POST", "/v1/deliveries/dlv_nope/retry", null), 404, "not_found");
    assertProblem(call("POST", "/v1/deliveries/dlv_nope/cancel", null), 404, "not_found");
  }

  @Test
  void eachAttemptSaysWhatWentWrong() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    LoopbackReceiver hanging = LoopbackReceiver.start();
    hanging.setDefault(ReceiverResponse.hang());
    LoopbackReceiver redirecting = LoopbackReceiver.start();
    redirecting.setDefault(ReceiverResponse.redirect(302, receiver.url("/elsewhere")));
    LoopbackReceiver chatty = LoopbackReceiver.start();
    chatty.setDefault(ReceiverResponse.status(500).withBody("x".repeat(10_000)));
    try {
      String timeout = firstAttemptOf(hanging.url(), "\"timeoutSeconds\":1,");
      String refused = firstAttemptOf("http://127.0.0.1:" + closedPort + "/", "");
      String redirect = firstAttemptOf(redirecting.url(), "");
      String capped = firstAttemptOf(chatty.url(), "");

      assertThat(attempt(timeout).get("error").asText()).isEqualTo("timeout");
      assertThat(attempt(timeout).get("durationMs").asLong()).isBetween(900L, 3000L);
      assertThat(attempt(refused).get("error").asText()).isEqualTo("connection_refused");
      assertThat(attempt(refused).get("statusCode").isNull()).isTrue();
      JsonNode r = attempt(redirect);
      assertThat(r.get("error").asText()).isEqualTo("redirect");
      assertThat(r.get("statusCode").asInt()).isEqualTo(302);
      assertThat(receiver.requests()).as("the redirect is not followed").isEmpty();
      JsonNode c = attempt(capped);
      assertThat(c.get("statusCode").asInt()).isEqualTo(500);
      assertThat(c.get("responseBody").asText()).hasSize(4096);
      for (String d : List.of(timeout, refused, redirect, capped)) {
        assertThat(attempt(d).get("outcome").asText()).isEqualTo("failed");
        assertThat(attempt(d).get("startedAt").asText()).endsWith("Z");
      }
    } finally {
      hanging.close();
      redirecting.close();
      chatty.close();
    }
  }

  @Test
  void deliveriesAreFoundBySubscriptionEventStatusAndTime() throws Exception {
    String a = subscribe(receiver.url("/a"), "[5]");
    String b = subscribe(receiver.url("/b"), "[5]");
    call("PATCH", "/v1/subscriptions/" + b, "{\"isPaused\":true}");
    // Times are kept to the millisecond: a delivery made in this one is not before it.
    Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    for (int i = 0; i < 5; i++) {
      call("POST", "/v1/events", "{\"id\":\"evt_find_" + i + "\",\"type\":\"order.paid\",\"data\":{}}");
    }
    receiver.awaitRequests(5, Duration.ofSeconds(20));
    herald.awaitJson("/v1/deliveries?subscriptionId=" + a + "&status=succeeded",
        p -> p.get("data").size() == 5, Duration.ofSeconds(20), key);

    JsonNode all = call("GET", "/v1/deliveries", null).json();
    assertThat(all.get("data")).hasSize(10);
    assertThat(all.get("data").get(0).has("attempts")).isFalse();
    assertThat(all.get("data").findValuesAsText("eventId").subList(0, 2)).containsOnly("evt_find_4");
    JsonNode held = call("GET", "/v1/deliveries?subscriptionId=" + b + "&status=held", null).json();
    assertThat(held.get("data")).hasSize(5);
    assertThat(call("GET", "/v1/deliveries?eventId=evt_find_2", null).json().get("data").findValuesAsText("subscriptionId"))
        .containsExactlyInAnyOrder(a, b);
    assertThat(call("GET", "/v1/deliveries?since=" + Instant.now().plusSeconds(60), null).json().get("data")).isEmpty();
    assertThat(call("GET", "/v1/deliveries?since=" + before + "&until=" + Instant.now().plusSeconds(1), null)
        .json().get("data")).hasSize(10);

    JsonNode page1 = call("GET", "/v1/deliveries?limit=4", null).json();
    JsonNode page2 = call("GET", "/v1/deliveries?limit=4&cursor=" + page1.get("nextCursor").asText(), null).json();
    JsonNode page3 = call("GET", "/v1/deliveries?limit=4&cursor=" + page2.get("nextCursor").asText(), null).json();
    assertThat(page3.get("nextCursor").isNull()).isTrue();
    List<String> paged = new java.util.ArrayList<>();
    for (JsonNode p : List.of(page1, page2, page3)) {
      paged.addAll(p.get("data").findValuesAsText("id"));
    }
    assertThat(paged).hasSize(10).doesNotHaveDuplicates()
        .containsExactlyElementsOf(all.get("data").findValuesAsText("id"));

    Response bad = call("GET", "/v1/deliveries?status=lost&since=yesterday&limit=0&subscriptionId=a%20b", null);
    assertProblem(bad, 422, "invalid_request");
    assertThat(bad.json().get("errors").findValuesAsText("parameter"))
        .containsExactlyInAnyOrder("status", "since", "limit", "subscriptionId");
  }

  private String firstAttemptOf(String url, String extra) throws Exception {
    String sub = call("POST", "/v1/subscriptions", "{\"name\":\"e\",\"url\":\"" + url + "\"," + extra
        + "\"events\":[\"probe." + tenants + "\"],\"retrySchedule\":[600]}").json().get("id").asText();
    String eventId = "evt_probe_" + sub;
    call("POST", "/v1/events", "{\"id\":\"" + eventId + "\",\"type\":\"probe." + tenants + "\",\"data\":{}}");
    String delivery = call("GET", "/v1/events/" + eventId, null).json().get("deliveries").get(0).get("id").asText();
    herald.awaitJson("/v1/deliveries/" + delivery, d -> d.get("attempts").size() == 1, Duration.ofSeconds(20), key);
    call("DELETE", "/v1/subscriptions/" + sub, null);
    return delivery;
  }

  private JsonNode attempt(String delivery) throws Exception {
    return call("GET", "/v1/deliveries/" + delivery, null).json().get("attempts").get(0);
  }

  private String subscribe(String url, String schedule) throws Exception {
    Response r = call("POST", "/v1/subscriptions", "{\"name\":\"s\",\"url\":\"" + url + "\","
        + "\"events\":[\"order.*\"],\"retrySchedule\":" + schedule + "}");
    assertThat(r.status()).as("%s", r.json()).isEqualTo(201);
    return r.json().get("id").asText();
  }

  private String publishOne(String eventId) throws Exception {
    call("POST", "/v1/events", "{\"id\":\"" + eventId + "\",\"type\":\"order.paid\",\"data\":{}}");
    return call("GET", "/v1/events/" + eventId, null).json().get("deliveries").get(0).get("id").asText();
  }

  private Response call(String method, String path, String body) throws Exception {
    return herald.call(method, path, body, key, "application/json");
  }
}
