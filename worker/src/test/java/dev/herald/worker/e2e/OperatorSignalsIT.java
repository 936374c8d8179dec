package dev.herald.worker.e2e;

import static dev.herald.worker.e2e.RealHerald.PATIENCE;
import static dev.herald.worker.e2e.RealHerald.retryingOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import dev.herald.testing.receiver.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The guide's {@code retryNow} and {@code cancel} signals on the real Temporal server, typed into
 * the {@code temporal} command line as an operator would: for one delivery by its workflow id, and
 * as a batch over the guide's list query. Each delivery waits out a 600 s backoff, so anything the
 * receiver gets within the test came from a signal.
 */
class OperatorSignalsIT extends WithRealHerald {

  private static final String TEN_MINUTES = "\"retrySchedule\":[600,600]";

  private final List<LoopbackReceiver> receivers = new ArrayList<>();

  @AfterEach
  void closeReceivers() {
    receivers.forEach(LoopbackReceiver::close);
  }

  @Test
  void retryNowSendsTheNextAttemptAtOnceAndCancelEndsTheDelivery() throws Exception {
    String key = herald.newTenant("signals");
    LoopbackReceiver receiver = failingReceiver();
    herald.subscribe(key, receiver.url(), TEN_MINUTES);
    String delivery = herald.publish(key).get(0);
    String workflowId = "delivery-" + delivery;
    assertThat(receiver.takeRequest(PATIENCE).header("herald-attempt")).isEqualTo("1");
    herald.awaitCount(run(workflowId, "retrying", 1), 1);

    herald.cli("workflow", "signal", "--workflow-id", workflowId, "--name", "retryNow");

    RecordedRequest second = receiver.takeRequest(PATIENCE);
    assertThat(second).as("attempt 2, long before its 600 s backoff").isNotNull();
    assertThat(second.header("herald-attempt")).isEqualTo("2");
    assertThat(second.header("herald-delivery-id")).isEqualTo(delivery);
    JsonNode retried = herald.awaitDelivery(key, delivery, d -> d.get("attemptCount").asInt() == 2);
    assertThat(retried.get("status").asText()).isEqualTo("retrying");
    herald.awaitCount(run(workflowId, "retrying", 2), 1);

    herald.cli("workflow", "signal", "--workflow-id", workflowId, "--name", "cancel");

    JsonNode cancelled = herald.awaitStatus(key, delivery, "cancelled");
    assertThat(cancelled.get("attempts")).hasSize(2);
    assertThat(cancelled.get("nextAttemptAt").isNull()).isTrue();
    assertThat(cancelled.get("completedAt").isNull()).isFalse();
    herald.awaitCount(run(workflowId, "cancelled", 2) + " AND ExecutionStatus = 'Completed'", 1);
    // The workflow has ended: nothing more is sent, and a further signal is refused.
    RealTemporal.CliResult late =
        RealTemporal.tryCli(herald.server, "workflow", "signal", "--workflow-id", workflowId, "--name", "retryNow");
    assertThat(late.exitCode()).isNotZero();
    assertThat(late.output()).contains("workflow execution already completed");
    assertThat(receiver.requests()).hasSize(2);
    assertThat(herald.delivery(key, delivery).get("status").asText()).isEqualTo("cancelled");
  }

  @Test
  void batchSignalsReachExactlyTheDeliveriesTheGuidesQueryFinds() throws Exception {
    LoopbackReceiver five = failingReceiver();
    LoopbackReceiver two = failingReceiver();
    String fiveKey = herald.newTenant("batch-five");
    String twoKey = herald.newTenant("batch-two");
    String fiveSub = herald.subscribe(fiveKey, five.url(), TEN_MINUTES);
    String twoSub = herald.subscribe(twoKey, two.url(), TEN_MINUTES);
    List<String> fives = publish(fiveKey, 5);
    List<String> twos = publish(twoKey, 2);
    String retryingOfFive = retryingOf(fiveSub);
    herald.awaitCount(retryingOfFive, 5);
    herald.awaitCount(retryingOf(twoSub), 2);

    String retryJob = herald.batchSignal(retryingOfFive, "retryNow", "endpoint fixed");

    List<RecordedRequest> arrived = five.awaitRequests(10, PATIENCE);
    Set<String> retried = new HashSet<>();
    for (RecordedRequest r : arrived.subList(5, 10)) {
      assertThat(r.header("herald-attempt")).isEqualTo("2");
      retried.add(r.header("herald-delivery-id"));
    }
    assertThat(retried).containsExactlyInAnyOrderElementsOf(fives);
    assertBatch(herald.awaitBatch(retryJob), "BATCH_OPERATION_TYPE_SIGNAL", 5, "endpoint fixed");
    assertThat(herald.cli("batch", "list")).contains(retryJob);
    for (String d : fives) {
      herald.awaitDelivery(fiveKey, d, x -> x.get("attemptCount").asInt() == 2);
    }
    herald.awaitCount(retryingOfFive + " AND HeraldAttempts = 2", 5);
    assertThat(two.requests()).as("the other subscription's deliveries were not signalled").hasSize(2);
    assertThat(herald.count(retryingOf(twoSub) + " AND HeraldAttempts = 1")).isEqualTo(2);

    String cancelJob = herald.batchSignal(retryingOfFive, "cancel", "endpoint retired");

    assertBatch(herald.awaitBatch(cancelJob), "BATCH_OPERATION_TYPE_SIGNAL", 5, "endpoint retired");
    for (String d : fives) {
      assertThat(herald.awaitStatus(fiveKey, d, "cancelled").get("attemptCount").asInt()).isEqualTo(2);
    }
    herald.awaitCount("HeraldSubscriptionId = '" + fiveSub + "' AND HeraldDeliveryStatus = 'cancelled'"
        + " AND ExecutionStatus = 'Completed'", 5);
    assertThat(herald.count(retryingOfFive)).isZero();
    for (String d : twos) {
      JsonNode untouched = herald.delivery(twoKey, d);
      assertThat(untouched.get("status").asText()).isEqualTo("retrying");
      assertThat(untouched.get("attemptCount").asInt()).isEqualTo(1);
    }
    assertThat(herald.count(retryingOf(twoSub))).isEqualTo(2);
    assertThat(five.requests()).hasSize(10);
    assertThat(two.requests()).hasSize(2);
  }

  private static void assertBatch(JsonNode batch, String type, int operations, String reason) {
    assertThat(batch.get("operationType").asText()).isEqualTo(type);
    assertThat(batch.get("totalOperationCount").asInt()).isEqualTo(operations);
    assertThat(batch.get("completeOperationCount").asInt()).isEqualTo(operations);
    assertThat(batch.path("failureOperationCount").asInt(0)).isZero();
    assertThat(batch.get("reason").asText()).isEqualTo(reason);
  }


  private static String run(String workflowId, String status, int attempts) {
    return "WorkflowId = '" + workflowId + "' AND HeraldDeliveryStatus = '" + status
        + "' AND HeraldAttempts = " + attempts;
  }

  private List<String> publish(String key, int events) throws Exception {
    List<String> deliveries = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      deliveries.addAll(herald.publish(key));
    }
    return deliveries;
  }

  private LoopbackReceiver failingReceiver() {
    LoopbackReceiver receiver = LoopbackReceiver.start();
    receivers.add(receiver);
    receiver.setDefault(ReceiverResponse.status(503));
    return receiver;
  }
}
