package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import dev.herald.testing.receiver.RecordedRequest;
import dev.herald.worker.e2e.HeraldHarness.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The user story of the foundation: API, worker, in-memory Temporal and PostgreSQL in one JVM,
 * a receiver on loopback, driven only through HTTP.
 */
class DeliveryEndToEndTest {

  private static HeraldHarness herald;
  private LoopbackReceiver receiver;

  @BeforeAll
  static void start() throws Exception {
    herald = new HeraldHarness();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @BeforeEach
  void receiver() {
    receiver = LoopbackReceiver.start();
    receiver.setDefault(ReceiverResponse.status(204));
  }

  @AfterEach
  void closeReceiver() {
    receiver.close();
  }

  @Test
  void anEventArrivesSignedAndTheOfficialLibraryVerifiesIt() throws Exception {
    JsonNode sub = subscribe("{\"name\":\"orders\",\"url\":\"" + receiver.url("/hooks")
        + "\",\"events\":[\"signed.*\"],\"headers\":{\"X-Team\":\"billing\"}}");
    Response published = publish("{\"id\":\"evt_signed_1\",\"type\":\"signed.paid\","
        + "\"data\":{\"orderId\":\"981\",\"amount\":4200}}");
    assertThat(published.status()).isEqualTo(202);
    assertThat(published.json().get("deliveries").asInt()).isEqualTo(1);

    RecordedRequest request = receiver.takeRequest(Duration.ofSeconds(20));
    assertThat(request).as("a request reached the receiver").isNotNull();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/hooks");
    assertThat(request.header("content-type")).isEqualTo("application/json");
    assertThat(request.header("user-agent")).startsWith("Herald/");
    assertThat(request.header("webhook-id")).isEqualTo("evt_signed_1");
    assertThat(request.header("herald-event-type")).isEqualTo("signed.paid");
    assertThat(request.header("herald-delivery-id")).startsWith("dlv_");
    assertThat(request.header("herald-attempt")).isEqualTo("1");
    assertThat(request.header("x-team")).isEqualTo("billing");
    new Webhook(sub.get("secret").asText()).verify(request.bodyUtf8(), headersOf(request));
    JsonNode body = HeraldHarness.JSON.readTree(request.body());
    assertThat(body.get("id").asText()).isEqualTo("evt_signed_1");
    assertThat(body.get("type").asText()).isEqualTo("signed.paid");
    assertThat(body.get("data").get("amount").asInt()).isEqualTo(4200);

    String deliveryId = request.header("herald-delivery-id");
    JsonNode delivery = herald.awaitJson("/v1/deliveries/" + deliveryId,
        d -> d.get("status").asText().equals("succeeded"), Duration.ofSeconds(10));
    assertThat(delivery.get("attemptCount").asInt()).isEqualTo(1);
    assertThat(delivery.get("workflowId").asText()).isEqualTo("delivery-" + deliveryId);
    assertThat(delivery.get("attempts").get(0).get("statusCode").asInt()).isEqualTo(204);
    assertThat(delivery.get("completedAt").isNull()).isFalse();
    JsonNode subscription = herald.call("GET", "/v1/subscriptions/" + sub.get("id").asText(), null).json();
    assertThat(subscription.get("lastDeliveryStatus").asText()).isEqualTo("succeeded");
  }

  @Test
  void a503ThenA204GivesTwoAttemptsWithIdenticalBytesAndWebhookId() throws Exception {
    receiver.enqueue(ReceiverResponse.status(503).withBody("down for maintenance"));
    subscribe("{\"name\":\"retry\",\"url\":\"" + receiver.url() + "\",\"events\":[\"retry.paid\"],"
        + "\"retrySchedule\":[2]}");
    publish("{\"id\":\"evt_retry_1\",\"type\":\"retry.paid\",\"data\":{\"orderId\":\"982\"}}");

    List<RecordedRequest> requests = receiver.awaitRequests(2, Duration.ofSeconds(30));
    RecordedRequest first = requests.get(0);
    RecordedRequest second = requests.get(1);
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(second.header("webhook-id")).isEqualTo(first.header("webhook-id")).isEqualTo("evt_retry_1");
    assertThat(first.header("herald-attempt")).isEqualTo("1");
    assertThat(second.header("herald-attempt")).isEqualTo("2");
    // The schedule says 2 s, with ±10 % jitter.
    assertThat(Duration.between(first.arrivedAt(), second.arrivedAt()))
        .isBetween(Duration.ofMillis(1800), Duration.ofMillis(6000));

    JsonNode delivery = herald.awaitJson("/v1/deliveries/" + first.header("herald-delivery-id"),
        d -> d.get("status").asText().equals("succeeded"), Duration.ofSeconds(10));
    JsonNode attempts = delivery.get("attempts");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).get("statusCode").asInt()).isEqualTo(503);
    assertThat(attempts.get(0).get("outcome").asText()).isEqualTo("failed");
    assertThat(attempts.get(0).get("responseBody").asText()).isEqualTo("down for maintenance");
    assertThat(attempts.get(1).get("statusCode").asInt()).isEqualTo(204);
    assertThat(attempts.get(1).get("outcome").asText()).isEqualTo("succeeded");
  }

  @Test
  void anEventOfAnotherTypeMakesNoDelivery() throws Exception {
    subscribe("{\"name\":\"only-orders\",\"url\":\"" + receiver.url() + "\",\"events\":[\"shop.order.*\"]}");
    Response published = publish("{\"id\":\"evt_invoice_1\",\"type\":\"shop.invoice.paid\",\"data\":{}}");
    assertThat(published.json().get("deliveries").asInt()).isZero();
    JsonNode event = herald.call("GET", "/v1/events/evt_invoice_1", null).json();
    assertThat(event.get("deliveries")).isEmpty();
  }

  @Test
  void aRepeatedEventIdMakesNoSecondDelivery() throws Exception {
    subscribe("{\"name\":\"dedupe\",\"url\":\"" + receiver.url() + "\",\"events\":[\"dedupe.shipped\"]}");
    String event = "{\"id\":\"evt_once\",\"type\":\"dedupe.shipped\",\"data\":{\"n\":1}}";
    Response first = publish(event);
    receiver.awaitRequests(1, Duration.ofSeconds(20));
    Response again = publish(event);
    assertThat(again.json()).isEqualTo(first.json());
    JsonNode stored = herald.call("GET", "/v1/events/evt_once", null).json();
    assertThat(stored.get("deliveries")).hasSize(1);
    // A second delivery would have arrived within this window; none does.
    Thread.sleep(2000);
    assertThat(receiver.requests()).hasSize(1);
  }

  @Test
  void aSlowDripReceiverIsCutAtTheDeadline() throws Exception {
    receiver.setDefault(ReceiverResponse.dripBody());
    subscribe("{\"name\":\"drip\",\"url\":\"" + receiver.url() + "\",\"events\":[\"drip.test\"],"
        + "\"timeoutSeconds\":2,\"retrySchedule\":[600]}");
    publish("{\"id\":\"evt_drip\",\"type\":\"drip.test\",\"data\":{}}");
    String deliveryId = receiver.takeRequest(Duration.ofSeconds(20)).header("herald-delivery-id");
    JsonNode delivery = herald.awaitJson("/v1/deliveries/" + deliveryId,
        d -> d.get("attempts").size() == 1, Duration.ofSeconds(15));
    JsonNode attempt = delivery.get("attempts").get(0);
    assertThat(attempt.get("error").asText()).isEqualTo("timeout");
    assertThat(attempt.get("durationMs").asLong()).isBetween(1500L, 3000L);
    assertThat(delivery.get("status").asText()).isEqualTo("retrying");
    assertThat(delivery.get("nextAttemptAt").isNull()).isFalse();
  }

  private JsonNode subscribe(String body) throws Exception {
    Response r = herald.call("POST", "/v1/subscriptions", body);
    assertThat(r.status()).as("create subscription: %s", r.json()).isEqualTo(201);
    return r.json();
  }

  private Response publish(String body) throws Exception {
    Response r = herald.call("POST", "/v1/events", body);
    assertThat(r.status()).as("publish: %s", r.json()).isEqualTo(202);
    return r;
  }

  private static Map<String, List<String>> headersOf(RecordedRequest r) {
    return Map.of(
        "webhook-id", List.of(r.header("webhook-id")),
        "webhook-timestamp", List.of(r.header("webhook-timestamp")),
        "webhook-signature", List.of(r.header("webhook-signature")));
  }
}
