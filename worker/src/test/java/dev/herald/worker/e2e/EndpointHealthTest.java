package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import dev.herald.core.tenant.Scope;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import dev.herald.testing.receiver.RecordedRequest;
import dev.herald.worker.e2e.HeraldHarness.Response;
import dev.herald.workflows.health.HealthState;
import dev.herald.workflows.health.SubscriptionHealthWorkflow;
import dev.herald.workflows.health.SubscriptionHealthWorkflows;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The user story of endpoint health, through HTTP: a failing endpoint is disabled with a reason,
 * its owner is told (a notification, and a signed {@code subscription.*} event on another
 * endpoint), events meanwhile are held, and re-enabling delivers the backlog.
 */
class EndpointHealthTest {

  private static HeraldHarness herald;
  private static WorkflowClient temporal;
  private static int tenants;
  private LoopbackReceiver failing;
  private LoopbackReceiver ops;
  private String key;

  @BeforeAll
  static void start() throws Exception {
    herald = new HeraldHarness();
    temporal = herald.temporalClient();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @BeforeEach
  void tenantAndReceivers() {
    key = herald.newTenantKey("health-" + ++tenants, null, Scope.all());
    failing = LoopbackReceiver.start();
    failing.setDefault(ReceiverResponse.status(503));
    ops = LoopbackReceiver.start();
    ops.setDefault(ReceiverResponse.status(204));
  }

  @AfterEach
  void closeReceivers() {
    failing.close();
    ops.close();
  }

  @Test
  void aFailingEndpointIsDisabledItsOwnerToldAndItsBacklogDeliveredAfterReEnabling() throws Exception {
    JsonNode opsSub = create("{\"name\":\"ops\",\"url\":\"" + ops.url("/ops") + "\",\"events\":[\"subscription.*\"]}");
    JsonNode sub = create("{\"name\":\"orders\",\"url\":\"" + failing.url("/orders") + "\",\"events\":[\"order.*\"],"
        + "\"retrySchedule\":[1,1,1,1,1,1,1,1],\"disableAfter\":{\"failures\":4,\"seconds\":2}}");
    String id = sub.get("id").asText();

    call("POST", "/v1/events", "{\"id\":\"evt_h_1\",\"type\":\"order.paid\",\"data\":{\"n\":1}}");
    JsonNode disabled = herald.awaitJson("/v1/subscriptions/" + id, s -> !s.get("isActive").asBoolean(),
        Duration.ofSeconds(30), key);
    assertThat(disabled.get("disableReason").asText())
        .startsWith("4 consecutive failed attempts since ").contains("last: HTTP 503");
    assertThat(disabled.get("disabledAt").isNull()).isFalse();
    assertThat(disabled.get("consecutiveFailures").asInt()).isEqualTo(4);
    assertThat(disabled.get("lastDeliveryStatus").asText()).isEqualTo("failed");
    assertThat(disabled.get("lastDeliveryAt").isNull()).isFalse();

    // The first delivery's next attempt finds the subscription disabled: held, nothing sent.
    String firstDelivery = call("GET", "/v1/events/evt_h_1", null).json().get("deliveries").get(0).get("id").asText();
    herald.awaitJson("/v1/deliveries/" + firstDelivery, d -> d.get("status").asText().equals("held"),
        Duration.ofSeconds(10), key);
    int sentBeforeReEnabling = failing.requests().size();
    assertThat(sentBeforeReEnabling).isEqualTo(4);

    // The owner is told: notifications, and both events on the ops endpoint, signed.
    JsonNode notifications = herald.awaitJson("/v1/notifications?subscriptionId=" + id,
        n -> n.get("data").size() == 2, Duration.ofSeconds(10), key);
    assertThat(notifications.get("data").findValuesAsText("type"))
        .containsExactly("subscription.disabled", "subscription.failing");
    List<RecordedRequest> told = ops.awaitRequests(2, Duration.ofSeconds(20));
    String opsSecret = opsSub.get("secret").asText();
    List<String> types = new ArrayList<>();
    for (RecordedRequest r : told) {
      new Webhook(opsSecret).verify(r.bodyUtf8(), SubscriptionApiTest.headersOf(r));
      JsonNode event = HeraldHarness.JSON.readTree(r.body());
      types.add(event.get("type").asText());
      JsonNode data = event.get("data");
      assertThat(data.get("subscriptionId").asText()).isEqualTo(id);
      assertThat(data.get("name").asText()).isEqualTo("orders");
      assertThat(data.get("url").asText()).isEqualTo(failing.url("/orders"));
      assertThat(data.get("reason").asText()).isNotBlank();
      assertThat(data.has("consecutiveFailures")).isTrue();
      assertThat(data.has("disabledAt")).isTrue();
      if (event.get("type").asText().equals("subscription.disabled")) {
        assertThat(data.get("consecutiveFailures").asInt()).isEqualTo(4);
        assertThat(Instant.parse(data.get("disabledAt").asText())).isEqualTo(Instant.parse(disabled.get("disabledAt").asText()));
      }
    }
    assertThat(types).containsExactlyInAnyOrder("subscription.failing", "subscription.disabled");

    // Events published meanwhile wait as held.
    call("POST", "/v1/events", "{\"id\":\"evt_h_2\",\"type\":\"order.paid\",\"data\":{\"n\":2}}");
    call("POST", "/v1/events", "{\"id\":\"evt_h_3\",\"type\":\"order.paid\",\"data\":{\"n\":3}}");
    assertThat(call("GET", "/v1/events/evt_h_3", null).json().get("deliveries").get(0).get("status").asText())
        .isEqualTo("held");
    Thread.sleep(1500);
    assertThat(failing.requests()).hasSize(sentBeforeReEnabling);

    // The owner fixes the endpoint and re-enables it: the reason clears and the backlog goes out.
    failing.setDefault(ReceiverResponse.status(204));
    JsonNode reEnabled = call("PATCH", "/v1/subscriptions/" + id, "{\"isActive\":true}").json();
    assertThat(reEnabled.get("isActive").asBoolean()).isTrue();
    assertThat(reEnabled.get("disableReason").isNull()).isTrue();
    assertThat(reEnabled.get("disabledAt").isNull()).isTrue();
    assertThat(reEnabled.get("consecutiveFailures").asInt()).isZero();
    List<RecordedRequest> backlog = failing.awaitRequests(sentBeforeReEnabling + 3, Duration.ofSeconds(30));
    assertThat(backlog.subList(sentBeforeReEnabling, backlog.size()).stream().map(r -> r.header("webhook-id")))
        .containsExactlyInAnyOrder("evt_h_1", "evt_h_2", "evt_h_3");
    for (String event : List.of("evt_h_1", "evt_h_2", "evt_h_3")) {
      String delivery = call("GET", "/v1/events/" + event, null).json().get("deliveries").get(0).get("id").asText();
      herald.awaitJson("/v1/deliveries/" + delivery, d -> d.get("status").asText().equals("succeeded"),
          Duration.ofSeconds(15), key);
    }
    HealthState state = health(id).state();
    assertThat(state.consecutiveFailures()).isZero();
    assertThat(state.disabled()).isFalse();
  }

  @Test
  void a410DisablesAtOnce() throws Exception {
    failing.setDefault(ReceiverResponse.status(410));
    String id = create("{\"name\":\"gone\",\"url\":\"" + failing.url() + "\",\"events\":[\"*\"]}").get("id").asText();
    call("POST", "/v1/events", "{\"type\":\"order.paid\",\"data\":{}}");
    JsonNode disabled = herald.awaitJson("/v1/subscriptions/" + id, s -> !s.get("isActive").asBoolean(),
        Duration.ofSeconds(20), key);
    assertThat(disabled.get("disableReason").asText()).contains("410");
    assertThat(failing.requests()).hasSize(1);
  }

  @Test
  void aBriefOutageDisablesNothing() throws Exception {
    String id = create("{\"name\":\"blip\",\"url\":\"" + failing.url() + "\",\"events\":[\"*\"],"
        + "\"retrySchedule\":[1,1,1],\"disableAfter\":{\"failures\":2,\"seconds\":3600}}").get("id").asText();
    failing.enqueue(ReceiverResponse.status(503));
    failing.enqueue(ReceiverResponse.status(503));
    failing.setDefault(ReceiverResponse.status(204));
    call("POST", "/v1/events", "{\"id\":\"evt_blip\",\"type\":\"order.paid\",\"data\":{}}");
    String delivery = call("GET", "/v1/events/evt_blip", null).json().get("deliveries").get(0).get("id").asText();
    herald.awaitJson("/v1/deliveries/" + delivery, d -> d.get("status").asText().equals("succeeded"),
        Duration.ofSeconds(20), key);
    JsonNode s = call("GET", "/v1/subscriptions/" + id, null).json();
    assertThat(s.get("isActive").asBoolean()).isTrue();
    assertThat(s.get("consecutiveFailures").asInt()).isZero();
    assertThat(s.get("lastDeliveryStatus").asText()).isEqualTo("succeeded");
    awaitCount(id, 0);
    assertThat(call("GET", "/v1/notifications?subscriptionId=" + id, null).json().get("data")).hasSize(1);
  }

  @Test
  void aHundredConcurrentFailuresCountExactlyAndDisableOnce() throws Exception {
    failing.setDefault(ReceiverResponse.status(500));
    create("{\"name\":\"ops\",\"url\":\"" + ops.url() + "\",\"events\":[\"subscription.disabled\"]}");
    String id = create("{\"name\":\"storm\",\"url\":\"" + failing.url() + "\",\"events\":[\"storm.*\"],"
        + "\"retrySchedule\":[86400],\"disableAfter\":{\"failures\":100,\"seconds\":0}}").get("id").asText();
    ExecutorService publishers = Executors.newFixedThreadPool(8);
    List<Future<Response>> published = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String body = "{\"type\":\"storm.hit\",\"data\":{\"n\":" + i + "}}";
      published.add(publishers.submit(() -> call("POST", "/v1/events", body)));
    }
    for (Future<Response> f : published) {
      assertThat(f.get().status()).isEqualTo(202);
    }
    publishers.shutdown();
    assertThat(failing.awaitRequests(100, Duration.ofSeconds(60))).hasSize(100);

    JsonNode disabled = herald.awaitJson("/v1/subscriptions/" + id, s -> !s.get("isActive").asBoolean(),
        Duration.ofSeconds(30), key);
    assertThat(disabled.get("consecutiveFailures").asInt()).isEqualTo(100);
    assertThat(disabled.get("disableReason").asText()).startsWith("100 consecutive failed attempts");
    HealthState state = health(id).state();
    assertThat(state.consecutiveFailures()).isEqualTo(100);
    assertThat(state.disabled()).isTrue();
    // Told only at the thresholds: 4, 8, 16, 32, 50 (the warning), 64 and 100.
    assertThat(signalsReceived(id)).isEqualTo(7);
    JsonNode notifications = call("GET", "/v1/notifications?subscriptionId=" + id, null).json().get("data");
    assertThat(notifications.findValuesAsText("type")).containsExactly("subscription.disabled", "subscription.failing");
    assertThat(ops.awaitRequests(1, Duration.ofSeconds(20))).hasSize(1);
    Thread.sleep(1000);
    assertThat(ops.requests()).as("one subscription.disabled event").hasSize(1);
  }

  @Test
  void aHealthyEndpointSendsItsHealthWorkflowNoSignal() throws Exception {
    failing.setDefault(ReceiverResponse.status(204));
    String id = create("{\"name\":\"healthy\",\"url\":\"" + failing.url() + "\",\"events\":[\"ok.*\"]}").get("id").asText();
    for (int i = 0; i < 30; i++) {
      call("POST", "/v1/events", "{\"type\":\"ok.fine\",\"data\":{\"n\":" + i + "}}");
    }
    failing.awaitRequests(30, Duration.ofSeconds(30));
    Thread.sleep(500);
    assertThat(signalsReceived(id)).as("no health workflow at all for an endpoint that never failed").isNull();

    // One failure, then the success that ends it: below every threshold, still no workflow.
    failing.enqueue(ReceiverResponse.status(503));
    String first = call("POST", "/v1/events", "{\"type\":\"ok.fine\",\"data\":{\"n\":-1}}").json().get("id").asText();
    String delivery = call("GET", "/v1/events/" + first, null).json().get("deliveries").get(0).get("id").asText();
    herald.awaitJson("/v1/deliveries/" + delivery, d -> d.get("status").asText().equals("succeeded"),
        Duration.ofSeconds(30), key);
    Thread.sleep(500);
    assertThat(signalsReceived(id)).as("a streak of 1 of 20 is not told").isNull();

    // Ten failures in a row (half of disableAfter's 20) and the success that ends them: told at
    // 4, 8 and 10, and the success: four signals. Thirty more successes: still four.
    for (int i = 0; i < 10; i++) {
      failing.enqueue(ReceiverResponse.status(503));
    }
    for (int i = 0; i < 10; i++) {
      call("POST", "/v1/events", "{\"type\":\"ok.fine\",\"data\":{\"streak\":" + i + "}}");
    }
    failing.awaitRequests(52, Duration.ofSeconds(30));
    awaitCount(id, 0);
    Thread.sleep(500);
    assertThat(signalsReceived(id)).isEqualTo(4);
    for (int i = 0; i < 30; i++) {
      call("POST", "/v1/events", "{\"type\":\"ok.fine\",\"data\":{\"n\":" + i + "}}");
    }
    failing.awaitRequests(82, Duration.ofSeconds(30));
    Thread.sleep(500);
    assertThat(signalsReceived(id)).isEqualTo(4);
  }

  /** The signals in the health workflow's history, or null when it never ran. */
  private static Integer signalsReceived(String subscriptionId) {
    try {
      return (int) temporal.fetchHistory(SubscriptionHealthWorkflows.workflowId(subscriptionId))
          .getEvents().stream()
          .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
          .count();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return null;
      }
      throw e;
    } catch (RuntimeException e) {
      if (e.getCause() instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return null;
      }
      throw e;
    }
  }

  private static void awaitCount(String subscriptionId, int count) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(10);
    while (health(subscriptionId).state().consecutiveFailures() != count) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("health count of " + subscriptionId + " is not " + count);
      }
      Thread.sleep(100);
    }
  }

  private static SubscriptionHealthWorkflow health(String subscriptionId) {
    return temporal.newWorkflowStub(SubscriptionHealthWorkflow.class,
        SubscriptionHealthWorkflows.workflowId(subscriptionId));
  }

  private JsonNode create(String body) throws Exception {
    Response r = call("POST", "/v1/subscriptions", body);
    assertThat(r.status()).as("%s", r.json()).isEqualTo(201);
    return r.json();
  }

  private Response call(String method, String path, String body) throws Exception {
    return herald.call(method, path, body, key, "application/json");
  }
}
