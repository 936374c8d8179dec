package dev.herald.workflows.delivery;

import static dev.herald.workflows.delivery.DeliveryTesting.failed;
import static dev.herald.workflows.delivery.DeliveryTesting.input;
import static dev.herald.workflows.delivery.DeliveryTesting.newWorkflow;
import static dev.herald.workflows.delivery.DeliveryTesting.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.model.DeliveryInput;
import dev.herald.workflows.schedule.RetrySchedule;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Records the histories the replay test checks. Runs only on request, after a deliberate change
 * to the workflow's commands:
 *
 * <pre>
 * mvn -o -pl workflows verify -Dtest=DeliveryHistoryRecorder -Dherald.recordHistories=true
 * </pre>
 *
 * Re-recording accepts the new behaviour as the baseline; running workflows started by the old
 * code then need a versioned change ({@code Workflow.getVersion}) instead.
 */
@Timeout(30)
@EnabledIfSystemProperty(named = "herald.recordHistories", matches = "true")
class DeliveryHistoryRecorder {

  /** Recorded before {@link DeliveryWorkflowImpl#LOCAL_ATTEMPTS}: attempts as activity tasks. */
  static final Path RETRY_THEN_SUCCESS =
      Path.of("src/test/resources/histories/delivery-retry-then-success.json");

  /** Recorded by the current code: attempts as local activities. */
  static final Path LOCAL_RETRY_THEN_SUCCESS =
      Path.of("src/test/resources/histories/delivery-local-retry-then-success.json");

  /**
   * Recorded before {@link DeliveryWorkflowImpl#WOKEN_WAIT_KEEPS_TIMER}: a slot wait cut short by
   * a wake cancels its timer. Written by {@link #recordAWokenSlotWaitThenASuccess}.
   */
  static final Path WOKEN_WAIT_THEN_SUCCESS =
      Path.of("src/test/resources/histories/delivery-woken-wait-then-success.json");

  @RegisterExtension static final TestWorkflowExtension temporal = DeliveryTesting.extension();

  @Test
  void recordTwoFailuresThenASuccess(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) throws Exception {
    RecordedAttempts attempts =
        RecordedAttempts.start(
            env, worker, r -> r.attemptNumber() < 3 ? failed(503, r) : succeeded(204));
    DeliveryInput input = input(RetrySchedule.DEFAULT);

    newWorkflow(client, worker, input).deliver(input);

    assertThat(attempts.count()).isEqualTo(3);
    String json = client.fetchHistory(DeliveryInput.workflowId(input.deliveryId())).toJson(true);
    Files.createDirectories(LOCAL_RETRY_THEN_SUCCESS.getParent());
    Files.writeString(LOCAL_RETRY_THEN_SUCCESS, json);
    System.out.println("recorded " + LOCAL_RETRY_THEN_SUCCESS.toAbsolutePath());
  }

  @Test
  void recordAWokenSlotWaitThenASuccess(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) throws Exception {
    AtomicInteger asked = new AtomicInteger();
    RecordedAttempts.start(env, worker, r -> asked.incrementAndGet() == 1
        ? AttemptResult.waiting("maxConcurrency 2: 2 attempts in flight", 50_000, false)
        : succeeded(204));
    DeliveryInput input = input(RetrySchedule.DEFAULT);
    DeliveryWorkflow workflow = newWorkflow(client, worker, input);
    WorkflowClient.start(workflow::deliver, input);
    DeliveryTesting.awaitTrue("waiting for a slot", () -> asked.get() == 1
        && client.fetchHistory(DeliveryInput.workflowId(input.deliveryId())).getEvents().stream()
            .anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED));

    workflow.slotFree();
    WorkflowStub.fromTyped(workflow).getResult(Void.class);

    String json = client.fetchHistory(DeliveryInput.workflowId(input.deliveryId())).toJson(true);
    Files.writeString(WOKEN_WAIT_THEN_SUCCESS, json);
    System.out.println("recorded " + WOKEN_WAIT_THEN_SUCCESS.toAbsolutePath());
  }
}
