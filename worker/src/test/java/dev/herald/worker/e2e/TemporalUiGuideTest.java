package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.tenant.Scope;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import dev.herald.worker.e2e.HeraldHarness.Response;
import dev.herald.model.DeliveryInput;
import dev.herald.workflows.delivery.DeliveryProgress;
import dev.herald.workflows.delivery.DeliveryWorkflow;
import dev.herald.workflows.delivery.DeliveryWorkflows;
import dev.herald.workflows.health.HealthState;
import dev.herald.workflows.health.SubscriptionHealthWorkflows;
import dev.herald.workflows.temporal.HeraldSearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import io.temporal.api.sdk.v1.WorkflowMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The statements of the README's "Operating deliveries in the Temporal UI", checked against the
 * running worker and the Temporal test server, through the same client calls the UI makes (by
 * workflow id, signal and query names, JSON input). What the test server cannot do (list
 * queries, Reset) is checked as closely as it allows; the guide says which.
 */
class TemporalUiGuideTest {

  private static HeraldHarness herald;
  private static WorkflowClient temporal;
  private LoopbackReceiver receiver;
  private String key;
  private static int tenants;

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
  void tenantAndReceiver() {
    key = herald.newTenantKey("ui-" + ++tenants, null, Scope.all());
    receiver = LoopbackReceiver.start();
    receiver.setDefault(ReceiverResponse.status(503));
  }

  @AfterEach
  void closeReceiver() {
    receiver.close();
  }

  @Test
  void aRetryingDeliveryIsFoundByItsSearchAttributesAndReadByItsDetailsAndQuery() throws Exception {
    String sub = subscribe("[600,600]");
    String delivery = publishAndAwait("retrying");
    WorkflowStub workflow = temporal.newUntypedWorkflowStub("delivery-" + delivery);

    // The record says retrying as soon as the attempt is recorded; the workflow upserts its
    // search attributes right after the activity returns.
    SearchAttributes attributes = workflow.describe().getTypedSearchAttributes();
    for (int i = 0; i < 100 && !"retrying".equals(attributes.get(HeraldSearchAttributes.DELIVERY_STATUS)); i++) {
      Thread.sleep(100);
      attributes = workflow.describe().getTypedSearchAttributes();
    }
    assertThat(attributes.get(HeraldSearchAttributes.SUBSCRIPTION_ID)).isEqualTo(sub);
    assertThat(attributes.get(HeraldSearchAttributes.DELIVERY_STATUS)).isEqualTo("retrying");
    assertThat(attributes.get(HeraldSearchAttributes.ATTEMPTS)).isEqualTo(1L);
    assertThat(attributes.get(HeraldSearchAttributes.EVENT_TYPE)).isEqualTo("order.paid");
    assertThat(attributes.get(HeraldSearchAttributes.TENANT_ID)).startsWith("ten_");
    assertThat(workflow.describe().getStaticSummary()).isEqualTo("order.paid → " + receiver.url() + " (" + sub + ")");
    String details = workflow.query(WorkflowClient.QUERY_TYPE_WORKFLOW_METADATA, WorkflowMetadata.class)
        .getCurrentDetails();
    assertThat(details).matches("attempt 1 of 3 failed: HTTP 503 in [0-9]+ ms; next at .*Z");

    DeliveryProgress status = workflow.query("status", DeliveryProgress.class);
    assertThat(status.status()).isEqualTo("retrying");
    assertThat(status.attempts()).isEqualTo(1);
    assertThat(status.lastAttempt()).startsWith("HTTP 503");
  }

  @Test
  void theRetryNowAndCancelSignalsAsTypedInTheUi() throws Exception {
    subscribe("[600,600]");
    String delivery = publishAndAwait("retrying");
    receiver.setDefault(ReceiverResponse.status(503));
    temporal.newUntypedWorkflowStub("delivery-" + delivery).signal("retryNow");
    herald.awaitJson("/v1/deliveries/" + delivery, d -> d.get("attemptCount").asInt() == 2,
        Duration.ofSeconds(10), key);

    temporal.newUntypedWorkflowStub("delivery-" + delivery).signal("cancel");
    temporal.newUntypedWorkflowStub("delivery-" + delivery).getResult(10, TimeUnit.SECONDS, Void.class);
    JsonNode cancelled = call("GET", "/v1/deliveries/" + delivery).json();
    assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
    assertThat(cancelled.get("attempts")).hasSize(2);
  }

  /**
   * A Reset replays a workflow from an earlier point and makes its later activities again. The
   * test server has no Reset; a new run of the same delivery from attempt 1 is what a Reset to
   * the start amounts to: attempts already recorded are answered from the record, not sent.
   */
  @Test
  void attemptsAlreadyMadeAreNotSentAgainWhenTheWorkflowStartsOver() throws Exception {
    receiver.setDefault(ReceiverResponse.status(204));
    String sub = subscribe("[600]");
    String delivery = publishAndAwait("succeeded");
    assertThat(receiver.requests()).hasSize(1);
    // The record says succeeded once the attempt is recorded; the run closes right after.
    temporal.newUntypedWorkflowStub("delivery-" + delivery).getResult(10, TimeUnit.SECONDS, Void.class);

    DeliveryInput fromTheStart =
        new DeliveryInput(delivery, "ten_reset", sub, "order.paid", receiver.url(), List.of(600), 1);
    DeliveryWorkflow rerun = temporal.newWorkflowStub(DeliveryWorkflow.class, DeliveryWorkflows.options(fromTheStart));
    WorkflowClient.start(rerun::deliver, fromTheStart);
    WorkflowStub.fromTyped(rerun).getResult(10, TimeUnit.SECONDS, Void.class);

    assertThat(receiver.requests()).as("nothing is sent twice").hasSize(1);
    JsonNode after = call("GET", "/v1/deliveries/" + delivery).json();
    assertThat(after.get("status").asText()).isEqualTo("succeeded");
    assertThat(after.get("attempts")).hasSize(1);
    assertThatThrownBy(() -> temporal.newUntypedWorkflowStub(SubscriptionHealthWorkflows.workflowId(sub)).describe())
        .as("the replayed success started no health workflow for the healthy endpoint")
        .isInstanceOf(WorkflowNotFoundException.class);
  }

  /**
   * A run that starts over from attempt 1 (as after a Reset to the first workflow task) answers
   * the recorded attempts one after the other, without waiting out the record's backoff before
   * each, and then waits where the record waits: a retryNow sends the next attempt.
   */
  @Test
  void aRunStartingOverCatchesUpWithTheRecordedAttemptsAndRetryNowSendsTheNext() throws Exception {
    String sub = subscribe("[600,600,600]");
    String delivery = publishAndAwait("retrying");
    WorkflowStub original = temporal.newUntypedWorkflowStub("delivery-" + delivery);
    original.signal("retryNow");
    JsonNode before = herald.awaitJson("/v1/deliveries/" + delivery, d -> d.get("attemptCount").asInt() == 2,
        Duration.ofSeconds(10), key);
    original.terminate("starting over");

    DeliveryInput fromTheStart =
        new DeliveryInput(delivery, "ten_reset", sub, "order.paid", receiver.url(), List.of(600, 600, 600), 1);
    DeliveryWorkflow rerun = temporal.newWorkflowStub(DeliveryWorkflow.class, DeliveryWorkflows.options(fromTheStart));
    WorkflowClient.start(rerun::deliver, fromTheStart);
    WorkflowStub rerunStub = WorkflowStub.fromTyped(rerun);
    DeliveryProgress progress = rerunStub.query("status", DeliveryProgress.class);
    for (int i = 0; i < 100 && progress.attempts() < 2; i++) {
      Thread.sleep(100);
      progress = rerunStub.query("status", DeliveryProgress.class);
    }
    assertThat(progress.attempts()).as("caught up within seconds").isEqualTo(2);
    assertThat(progress.nextAttemptAtMillis())
        .isCloseTo(Instant.parse(before.get("nextAttemptAt").asText()).toEpochMilli(), within(2_000L));
    assertThat(receiver.requests()).as("nothing is sent twice").hasSize(2);

    receiver.setDefault(ReceiverResponse.status(204));
    rerunStub.signal("retryNow");
    rerunStub.getResult(10, TimeUnit.SECONDS, Void.class);
    assertThat(receiver.requests()).extracting(r -> r.header("herald-attempt")).containsExactly("1", "2", "3");
    assertThat(call("GET", "/v1/deliveries/" + delivery).json().get("status").asText()).isEqualTo("succeeded");
  }

  @Test
  void theHealthWorkflowIsReadByItsQueryAndResetByASignalWithJsonInput() throws Exception {
    // Warned at half of 2: the first failure is told, and starts the health workflow.
    String sub = subscribe("[600],\"disableAfter\":{\"failures\":2,\"seconds\":86400}");
    publishAndAwait("retrying");
    WorkflowStub health = temporal.newUntypedWorkflowStub(SubscriptionHealthWorkflows.workflowId(sub));
    awaitHealth(health, 1);
    // The count changes in the signal's handler, the details a moment later in the workflow's run.
    String details = health.query(WorkflowClient.QUERY_TYPE_WORKFLOW_METADATA, WorkflowMetadata.class)
        .getCurrentDetails();
    for (int i = 0; i < 50 && !details.startsWith("1 consecutive failure"); i++) {
      Thread.sleep(100);
      details = health.query(WorkflowClient.QUERY_TYPE_WORKFLOW_METADATA, WorkflowMetadata.class)
          .getCurrentDetails();
    }
    assertThat(details).startsWith("1 consecutive failure").contains("last: HTTP 503");

    health.signal("reset", Map.of("reason", "checked by the operator"));
    awaitHealth(health, 0);
    assertThat(health.query("state", HealthState.class).streakStartedAtMillis()).isNull();
  }

  private static void awaitHealth(WorkflowStub health, int count) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      try {
        if (health.query("state", HealthState.class).consecutiveFailures() == count) {
          return;
        }
      } catch (RuntimeException e) {
        // not started yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the health count did not reach " + count);
  }

  private String subscribe(String schedule) throws Exception {
    Response r = call("POST", "/v1/subscriptions", "{\"name\":\"ui\",\"url\":\"" + receiver.url() + "\","
        + "\"events\":[\"order.*\"],\"retrySchedule\":" + schedule + "}");
    assertThat(r.status()).isEqualTo(201);
    return r.json().get("id").asText();
  }

  private String publishAndAwait(String status) throws Exception {
    String eventId = "evt_ui_" + tenants + "_" + System.nanoTime();
    herald.call("POST", "/v1/events", "{\"id\":\"" + eventId + "\",\"type\":\"order.paid\",\"data\":{}}",
        key, "application/json");
    String delivery = call("GET", "/v1/events/" + eventId).json().get("deliveries").get(0).get("id").asText();
    herald.awaitJson("/v1/deliveries/" + delivery, d -> d.get("status").asText().equals(status),
        Duration.ofSeconds(20), key);
    return delivery;
  }

  private Response call(String method, String path) throws Exception {
    return herald.call(method, path, null, key, null);
  }

  private Response call(String method, String path, String body) throws Exception {
    return herald.call(method, path, body, key, "application/json");
  }

}
