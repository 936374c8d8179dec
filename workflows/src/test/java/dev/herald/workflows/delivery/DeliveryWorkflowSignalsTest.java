package dev.herald.workflows.delivery;

import static dev.herald.workflows.delivery.DeliveryTesting.DELIVERY_ID;
import static dev.herald.workflows.delivery.DeliveryTesting.awaitTrue;
import static dev.herald.workflows.delivery.DeliveryTesting.failed;
import static dev.herald.workflows.delivery.DeliveryTesting.input;
import static dev.herald.workflows.delivery.DeliveryTesting.newWorkflow;
import static dev.herald.workflows.delivery.DeliveryTesting.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import dev.herald.model.DeliveryInput;
import dev.herald.workflows.schedule.RetrySchedule;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.InOrder;

/** The signals and the cancellation an operator can send a waiting delivery. */
@Timeout(30)
class DeliveryWorkflowSignalsTest {

  @RegisterExtension static final TestWorkflowExtension temporal = DeliveryTesting.extension();

  @Test
  void retryNowCutsALongBackoffShort(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    RecordedAttempts attempts =
        RecordedAttempts.start(
            env, worker, r -> r.attemptNumber() == 1 ? failed(503, r) : succeeded(204));
    DeliveryInput input = input(List.of(600));
    DeliveryWorkflow workflow = newWorkflow(client, worker, input);
    WorkflowClient.start(workflow::deliver, input);
    awaitRetrying(workflow);

    workflow.retryNow();
    WorkflowStub.fromTyped(workflow).getResult(Void.class);

    assertThat(attempts.count()).isEqualTo(2);
    assertThat(attempts.plannedAfter(0)).isBetween(540, 660);
    assertThat(attempts.gapAfter(0))
        .as("workflow millis before the second attempt")
        .isLessThan(60_000);
    assertThat(workflow.status().status()).isEqualTo("succeeded");
  }

  @Test
  void aCancelSignalDuringTheWaitRecordsCancelledAndMakesNoFurtherAttempt(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    RecordedAttempts attempts = RecordedAttempts.start(env, worker, r -> failed(503, r));
    DeliveryInput input = input(RetrySchedule.DEFAULT);
    DeliveryWorkflow workflow = newWorkflow(client, worker, input);
    WorkflowClient.start(workflow::deliver, input);
    awaitRetrying(workflow);

    workflow.cancel();
    WorkflowStub.fromTyped(workflow).getResult(Void.class);

    verify(attempts.activities).cancel(new CancelRequest(DELIVERY_ID, "signal"));
    verify(attempts.activities, times(1)).attempt(any());
    assertThat(workflow.status())
        .isEqualTo(new DeliveryProgress("cancelled", 1, 8, null, "HTTP 503 in 120 ms"));
  }

  @Test
  void cancellingTheWorkflowRecordsCancelledAndEndsItCanceled(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    RecordedAttempts attempts = RecordedAttempts.start(env, worker, r -> failed(503, r));
    DeliveryInput input = input(RetrySchedule.DEFAULT);
    DeliveryWorkflow workflow = newWorkflow(client, worker, input);
    WorkflowClient.start(workflow::deliver, input);
    awaitRetrying(workflow);

    WorkflowStub.fromTyped(workflow).cancel();

    assertThatThrownBy(() -> WorkflowStub.fromTyped(workflow).getResult(Void.class))
        .isInstanceOf(WorkflowFailedException.class)
        .hasCauseInstanceOf(CanceledFailure.class);
    verify(attempts.activities).cancel(new CancelRequest(DELIVERY_ID, "workflow_cancelled"));
    verify(attempts.activities, times(1)).attempt(any());
  }

  @Test
  void anAttemptInFlightWhenTheWorkflowIsCancelledIsRecordedBeforeTheCancellation(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RecordedAttempts attempts =
        RecordedAttempts.start(
            env,
            worker,
            r -> {
              started.countDown();
              await(release);
              return failed(503, r);
            });
    DeliveryInput input = input(RetrySchedule.DEFAULT);
    DeliveryWorkflow workflow = newWorkflow(client, worker, input);
    WorkflowClient.start(workflow::deliver, input);
    assertThat(started.await(10, TimeUnit.SECONDS)).as("attempt started").isTrue();

    WorkflowStub.fromTyped(workflow).cancel();
    // Finish the attempt only once the cancellation is in the history: the attempt (a local
    // activity) must still finish and record itself before the cancellation is recorded.
    awaitTrue(
        "the workflow's cancellation was requested",
        () ->
            client.fetchHistory(DeliveryInput.workflowId(DELIVERY_ID)).getEvents().stream()
                .map(HistoryEvent::getEventType)
                .anyMatch(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED::equals));
    release.countDown();
    assertThatThrownBy(() -> WorkflowStub.fromTyped(workflow).getResult(Void.class))
        .isInstanceOf(WorkflowFailedException.class)
        .hasCauseInstanceOf(CanceledFailure.class);
    InOrder order = inOrder(attempts.activities);
    order.verify(attempts.activities).attempt(any());
    order.verify(attempts.activities).cancel(new CancelRequest(DELIVERY_ID, "workflow_cancelled"));
    verify(attempts.activities, times(1)).attempt(any());
  }

  private static void awaitRetrying(DeliveryWorkflow workflow) {
    awaitTrue("the first attempt failed", () -> "retrying".equals(workflow.status().status()));
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("test never released the attempt");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
