package dev.herald.worker.e2e;

import static dev.herald.worker.e2e.RealHerald.PATIENCE;
import static dev.herald.worker.e2e.RealHerald.retryingOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import dev.herald.testing.receiver.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Terminate and Reset typed into the {@code temporal} command line against the real server, and
 * what they do to the delivery record, to the endpoint, and to what the list queries show.
 */
class TerminateAndResetIT extends WithRealHerald {

  private String key;
  private LoopbackReceiver receiver;

  @BeforeEach
  void tenantAndReceiver() {
    key = herald.newTenant("reset");
    receiver = LoopbackReceiver.start();
  }

  @AfterEach
  void closeReceiver() {
    receiver.close();
  }

  /**
   * The sweeper looks at a delivery only once its next attempt is overdue, so the record says
   * {@code retrying} until then; the terminated run keeps its last search attributes for good.
   */
  @Test
  void aTerminatedDeliveryIsRecordedCancelledOnceItsNextAttemptIsDueAndIsNeverRestarted()
      throws Exception {
    Sent sent = send(503, "[5,5]");
    String sub = sent.subscriptionId();
    String delivery = sent.deliveryId();
    String workflowId = sent.workflowId();
    assertThat(receiver.takeRequest(PATIENCE)).isNotNull();
    Instant due = Instant.parse(herald.awaitStatus(key, delivery, "retrying").get("nextAttemptAt").asText());
    // The record moves first; the run upserts its search attributes right after.
    herald.awaitCount(retryingOf(sub) + " AND ExecutionStatus = 'Running'", 1);

    herald.cli("workflow", "terminate", "--workflow-id", workflowId, "--reason", "operator test");

    JsonNode cancelled = herald.awaitStatus(key, delivery, "cancelled");
    assertThat(Instant.parse(cancelled.get("completedAt").asText()))
        .as("recorded by the sweeper once attempt 2 was due")
        .isAfter(due);
    assertThat(cancelled.get("attempts")).hasSize(1);
    assertThat(cancelled.get("nextAttemptAt").isNull()).isTrue();
    // Attempt 2 was due seconds ago and the sweeper passes every second: nothing comes.
    assertThat(receiver.takeRequest(Duration.ofSeconds(4))).isNull();
    assertThat(herald.count("WorkflowId = '" + workflowId + "'")).as("no new run").isEqualTo(1);
    assertThat(herald.count("WorkflowId = '" + workflowId + "' AND ExecutionStatus = 'Terminated'")).isEqualTo(1);
    assertThat(herald.count(retryingOf(sub))).as("the terminated run still reads retrying").isEqualTo(1);
    assertThat(herald.count(retryingOf(sub) + " AND ExecutionStatus = 'Running'")).isZero();
    assertThat(herald.delivery(key, delivery).get("status").asText()).isEqualTo("cancelled");
  }

  /**
   * A Reset to the first workflow task terminates the run and starts a new one from attempt 1:
   * the attempts already recorded are answered from the record one after the other, nothing is
   * sent, and the new run waits where the record waits; the next retryNow (a batch over the
   * guide's query, which finds the terminated run too) sends attempt 3.
   */
  @Test
  void aRetryingDeliveryResetToItsStartCatchesUpWithItsRecordAndSendsNothingTwice() throws Exception {
    Sent sent = send(503, "[600,600,600]");
    String sub = sent.subscriptionId();
    String delivery = sent.deliveryId();
    String workflowId = sent.workflowId();
    assertThat(receiver.takeRequest(PATIENCE)).isNotNull();
    herald.awaitStatus(key, delivery, "retrying");
    herald.cli("workflow", "signal", "--workflow-id", workflowId, "--name", "retryNow");
    assertThat(receiver.takeRequest(PATIENCE).header("herald-attempt")).isEqualTo("2");
    JsonNode before = herald.awaitDelivery(key, delivery, d -> d.get("attemptCount").asInt() == 2);
    String running = "WorkflowId = '" + workflowId + "' AND ExecutionStatus = 'Running'";
    herald.awaitCount(running + " AND HeraldAttempts = 2", 1);

    assertThat(herald.cli("workflow", "reset", "--workflow-id", workflowId, "--type", "FirstWorkflowTask",
        "--reason", "operator test")).contains("Resetting workflow " + workflowId);

    // Visibility catches up with the old run first, so that only the new one is Running.
    herald.awaitCount("WorkflowId = '" + workflowId + "' AND ExecutionStatus = 'Terminated'", 1);
    herald.awaitCount(running + " AND HeraldAttempts = 2 AND HeraldDeliveryStatus = 'retrying'", 1);
    JsonNode status = herald.query(workflowId, "status");
    assertThat(status.get("attempts").asInt()).isEqualTo(2);
    long due = Instant.parse(before.get("nextAttemptAt").asText()).toEpochMilli();
    assertThat(status.get("nextAttemptAtMillis").asLong()).isBetween(due - 2_000, due + 2_000);
    assertThat(receiver.requests()).as("nothing sent again").hasSize(2);
    assertThat(herald.delivery(key, delivery)).isEqualTo(before);
    assertThat(herald.cli("workflow", "show", "--workflow-id", workflowId))
        .as("the earlier retryNow is applied again in the new run")
        .contains("WorkflowExecutionSignaled");
    assertThat(herald.count(retryingOf(sub))).as("the terminated run is listed too").isEqualTo(2);
    assertThat(herald.count(retryingOf(sub) + " AND ExecutionStatus = 'Running'")).isEqualTo(1);

    receiver.setDefault(ReceiverResponse.status(204));
    String job = herald.batchSignal(retryingOf(sub), "retryNow", "operator test");

    assertThat(herald.awaitBatch(job).get("totalOperationCount").asInt())
        .as("the batch passes over the terminated run its query finds")
        .isEqualTo(1);
    RecordedRequest third = receiver.takeRequest(PATIENCE);
    assertThat(third).as("the retryNow after the Reset sends the next attempt").isNotNull();
    assertThat(third.header("herald-attempt")).isEqualTo("3");
    JsonNode after = herald.awaitStatus(key, delivery, "succeeded");
    assertThat(after.get("attempts")).hasSize(3);
    assertThat(receiver.requests()).extracting(r -> r.header("herald-attempt")).containsExactly("1", "2", "3");
  }

  /**
   * Whichever point a succeeded delivery is reset to, the new run answers its attempt from the
   * record and completes at once: nothing is sent, the record stays as it was, no health
   * workflow is started for the healthy endpoint, and each run is listed as succeeded.
   */
  @Test
  void aSucceededDeliveryResetToAnyPointSendsNothingAgain() throws Exception {
    Sent sent = send(204, "[600]");
    String delivery = sent.deliveryId();
    String workflowId = sent.workflowId();
    JsonNode before = herald.awaitStatus(key, delivery, "succeeded");
    String completed = "WorkflowId = '" + workflowId + "' AND ExecutionStatus = 'Completed'";
    herald.awaitCount(completed, 1);
    String firstTaskCompleted = firstWorkflowTaskCompleted(workflowId);

    List<List<String>> resets = List.of(
        List.of("--event-id", firstTaskCompleted),
        List.of("--type", "FirstWorkflowTask"),
        List.of("--type", "LastWorkflowTask"));
    int runs = 1;
    for (List<String> point : resets) {
      List<String> command = new ArrayList<>(List.of("workflow", "reset", "--workflow-id", workflowId,
          "--reason", "operator test"));
      command.addAll(point);
      herald.cli(command.toArray(String[]::new));
      herald.awaitCount(completed, ++runs);
    }

    assertThat(receiver.requests()).as("nothing sent again").hasSize(1);
    assertThat(herald.delivery(key, delivery)).isEqualTo(before);
    assertThat(herald.count("WorkflowId = '" + workflowId + "' AND HeraldDeliveryStatus = 'succeeded'"
        + " AND HeraldAttempts = 1")).isEqualTo(4);
    RealTemporal.CliResult health = RealTemporal.tryCli(herald.server, "workflow", "describe", "--workflow-id",
        "subscription-health-" + sent.subscriptionId());
    assertThat(health.exitCode()).as("no health workflow for a healthy endpoint: %s", health.output()).isNotZero();
    assertThat(health.output()).contains("not found");
  }

  /** One delivery of a new subscription of the tenant's to the receiver, which answers {@code status}. */
  private Sent send(int status, String retrySchedule) throws Exception {
    receiver.setDefault(ReceiverResponse.status(status));
    String sub = herald.subscribe(key, receiver.url(), "\"retrySchedule\":" + retrySchedule);
    return new Sent(sub, herald.publish(key).get(0));
  }

  private record Sent(String subscriptionId, String deliveryId) {
    String workflowId() {
      return "delivery-" + deliveryId;
    }
  }

  private String firstWorkflowTaskCompleted(String workflowId) throws Exception {
    JsonNode history = HeraldHarness.JSON.readTree(
        herald.cli("workflow", "show", "--workflow-id", workflowId, "-o", "json"));
    for (JsonNode event : history.get("events")) {
      if (event.get("eventType").asText().equals("EVENT_TYPE_WORKFLOW_TASK_COMPLETED")) {
        return event.get("eventId").asText();
      }
    }
    throw new AssertionError("no completed workflow task in " + history);
  }
}
