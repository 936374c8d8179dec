package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.crypto.SecretCipher;
import dev.herald.core.crypto.SecretKeyRing;
import dev.herald.core.delivery.DeliveryDao;
import dev.herald.core.event.EventDao;
import dev.herald.core.event.EventPublisher;
import dev.herald.core.event.EventRequest;
import dev.herald.core.event.PublishResult;
import dev.herald.core.ids.Ids;
import dev.herald.core.metrics.HeraldMetrics;
import dev.herald.core.subscription.SubscriptionDao;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import dev.herald.testing.receiver.RecordedRequest;
import dev.herald.workflows.delivery.DeliveryProgress;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing accepted is lost: deliveries committed without a workflow (the API died after its
 * commit; the in-memory Temporal was restarted) are found by the sweeper and delivered. What an
 * operator does in the Temporal UI (signal, Cancel, Terminate), done here through the same client
 * calls, lands in the delivery record.
 */
class OperatorAndSweeperTest {

  private static HeraldHarness herald;
  private static EventPublisher publisherWithoutTemporal;
  private static WorkflowServiceStubs temporalService;
  private static WorkflowClient temporal;
  private static String tenantId;
  private LoopbackReceiver receiver;

  @BeforeAll
  static void start() throws Exception {
    herald = new HeraldHarness();
    ObjectMapper json = new ObjectMapper();
    Clock clock = Clock.systemUTC();
    SubscriptionDao subscriptions = new SubscriptionDao(herald.database.jdbi(), json, new SecretCipher(SecretKeyRing.parse(HeraldHarness.SECRET_KEY, null)));
    publisherWithoutTemporal =
        new EventPublisher(herald.database.jdbi(), new EventDao(herald.database.jdbi(), json),
            subscriptions, new DeliveryDao(herald.database.jdbi(), subscriptions), json,
            new Ids(clock), clock, HeraldMetrics.none());
    temporalService =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(herald.temporal.address())
                .build());
    temporal = WorkflowClient.newInstance(temporalService);
  }

  @AfterAll
  static void stop() {
    temporalService.shutdown();
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
  void aDeliveryCommittedWithoutAWorkflowIsPickedUpAndDelivered() throws Exception {
    String subscriptionId = subscribe("lost.created", "[5]");
    PublishResult committed = publishWithoutStarting("lost.created");

    RecordedRequest request = receiver.takeRequest(Duration.ofSeconds(20));
    assertThat(request).as("the sweeper started the lost delivery").isNotNull();
    assertThat(request.header("herald-attempt")).isEqualTo("1");
    String deliveryId = committed.toStart().get(0).deliveryId();
    assertThat(request.header("herald-delivery-id")).isEqualTo(deliveryId);
    JsonNode delivery = herald.awaitJson("/v1/deliveries/" + deliveryId,
        d -> d.get("status").asText().equals("succeeded"), Duration.ofSeconds(10));
    assertThat(delivery.get("subscriptionId").asText()).isEqualTo(subscriptionId);
  }

  @Test
  void aRestartedDeliveryContinuesItsAttemptCount() throws Exception {
    subscribe("lost.retrying", "[5, 5, 5]");
    PublishResult committed = publishWithoutStarting("lost.retrying");
    String deliveryId = committed.toStart().get(0).deliveryId();
    // As if two attempts had failed before herald dev was restarted with an empty Temporal.
    herald.database.jdbi().useHandle(h -> h.execute(
        "UPDATE deliveries SET status = 'retrying', attempt_count = 2,"
            + " next_attempt_at = now() - interval '10 seconds',"
            + " updated_at = now() - interval '1 minute' WHERE id = ?", deliveryId));

    RecordedRequest request = receiver.takeRequest(Duration.ofSeconds(20));
    assertThat(request).isNotNull();
    assertThat(request.header("herald-attempt")).isEqualTo("3");
    JsonNode delivery = herald.awaitJson("/v1/deliveries/" + deliveryId,
        d -> d.get("status").asText().equals("succeeded"), Duration.ofSeconds(10));
    assertThat(delivery.get("attemptCount").asInt()).isEqualTo(3);
  }

  @Test
  void aTerminatedWorkflowLeavesItsDeliveryCancelledAndIsNeverRestarted() throws Exception {
    receiver.setDefault(ReceiverResponse.status(503));
    subscribe("terminated.event", "[2, 2, 2]");
    var published = herald.call("POST", "/v1/events",
        "{\"id\":\"evt_terminated\",\"type\":\"terminated.event\",\"data\":{}}");
    assertThat(published.status()).isEqualTo(202);
    String deliveryId = receiver.takeRequest(Duration.ofSeconds(20)).header("herald-delivery-id");
    herald.awaitJson("/v1/deliveries/" + deliveryId,
        d -> d.get("status").asText().equals("retrying"), Duration.ofSeconds(10));

    temporal.newUntypedWorkflowStub("delivery-" + deliveryId).terminate("operator test");

    JsonNode delivery = herald.awaitJson("/v1/deliveries/" + deliveryId,
        d -> d.get("status").asText().equals("cancelled"), Duration.ofSeconds(20));
    assertThat(delivery.get("attemptCount").asInt()).isEqualTo(1);
    // Its next attempt was due seconds ago; nothing arrives.
    Thread.sleep(3000);
    assertThat(receiver.requests()).hasSize(1);
  }

  @Test
  void aRetryNowSignalCutsATenMinuteBackoffShort() throws Exception {
    receiver.enqueue(ReceiverResponse.status(500));
    subscribe("signal.retry", "[600]");
    herald.call("POST", "/v1/events", "{\"type\":\"signal.retry\",\"data\":{}}");
    RecordedRequest first = receiver.takeRequest(Duration.ofSeconds(20));
    String deliveryId = first.header("herald-delivery-id");
    herald.awaitJson("/v1/deliveries/" + deliveryId,
        d -> d.get("status").asText().equals("retrying"), Duration.ofSeconds(10));

    temporal.newUntypedWorkflowStub("delivery-" + deliveryId).signal("retryNow");

    RecordedRequest second = receiver.takeRequest(Duration.ofSeconds(20));
    assertThat(second).as("the retry arrived long before its 600 s backoff").isNotNull();
    assertThat(second.header("herald-attempt")).isEqualTo("2");
    assertThat(Duration.between(first.arrivedAt(), second.arrivedAt())).isLessThan(Duration.ofSeconds(30));
    herald.awaitJson("/v1/deliveries/" + deliveryId,
        d -> d.get("status").asText().equals("succeeded"), Duration.ofSeconds(10));
  }

  @Test
  void aCancelFromTheTemporalUiRecordsTheDeliveryCancelled() throws Exception {
    receiver.setDefault(ReceiverResponse.status(503));
    subscribe("ui.cancel", "[600]");
    herald.call("POST", "/v1/events", "{\"type\":\"ui.cancel\",\"data\":{}}");
    String deliveryId = receiver.takeRequest(Duration.ofSeconds(20)).header("herald-delivery-id");
    herald.awaitJson("/v1/deliveries/" + deliveryId,
        d -> d.get("status").asText().equals("retrying"), Duration.ofSeconds(10));
    // As an operator finds it: waiting out its backoff. The record says retrying as soon as the
    // attempt is recorded, a moment before the workflow has the activity's result; a cancel in
    // that moment makes the in-memory test server refuse the workflow's next task
    // (ACTIVITY_UNKNOWN), which the real server does not.
    WorkflowStub workflow = temporal.newUntypedWorkflowStub("delivery-" + deliveryId);
    RealTemporal.await("the workflow waits out its backoff", Duration.ofSeconds(10),
        () -> "retrying".equals(workflow.query("status", DeliveryProgress.class).status()));

    workflow.cancel();

    JsonNode delivery = herald.awaitJson("/v1/deliveries/" + deliveryId,
        d -> d.get("status").asText().equals("cancelled"), Duration.ofSeconds(20));
    assertThat(delivery.get("completedAt").isNull()).isFalse();
    assertThat(delivery.get("attemptCount").asInt()).isEqualTo(1);
  }

  private String subscribe(String type, String schedule) throws Exception {
    var r = herald.call("POST", "/v1/subscriptions",
        "{\"name\":\"" + type + "\",\"url\":\"" + receiver.url() + "\",\"events\":[\"" + type
            + "\"],\"retrySchedule\":" + schedule + "}");
    assertThat(r.status()).isEqualTo(201);
    tenantId = tenantOf(r.json().get("id").asText());
    return r.json().get("id").asText();
  }

  private String tenantOf(String subscriptionId) {
    return herald.database.jdbi().withHandle(h ->
        h.createQuery("SELECT tenant_id FROM subscriptions WHERE id = :id")
            .bind("id", subscriptionId).mapTo(String.class).one());
  }

  private PublishResult publishWithoutStarting(String type) {
    PublishResult result =
        publisherWithoutTemporal.publish(
            tenantId,
            new EventRequest(null, type, HeraldHarness.JSON.createObjectNode().put("k", "v"), Map.of()));
    assertThat(result.toStart()).hasSize(1);
    return result;
  }
}
