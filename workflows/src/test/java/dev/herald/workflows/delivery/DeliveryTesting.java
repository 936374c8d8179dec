package dev.herald.workflows.delivery;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

import dev.herald.model.DeliveryInput;
import dev.herald.workflows.temporal.HeraldSearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Shared set-up for the delivery workflow tests: environment, inputs, canned results. */
final class DeliveryTesting {

  static final String DELIVERY_ID = "dlv_test";

  private DeliveryTesting() {}

  /** A time-skipping environment with the delivery workflow and Herald's search attributes. */
  static TestWorkflowExtension extension() {
    TestWorkflowExtension.Builder builder =
        TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(DeliveryWorkflowImpl.class)
            // Activities are mocks registered per test, so the worker starts in the test.
            .setDoNotStart(true);
    for (SearchAttributeKey<?> key : HeraldSearchAttributes.ALL) {
      builder.registerSearchAttribute(key.getName(), key.getValueType());
    }
    return builder.build();
  }

  static DeliveryActivities mockActivities() {
    return mock(DeliveryActivities.class, withSettings().withoutAnnotations());
  }

  static DeliveryInput input(List<Integer> schedule) {
    return input(schedule, 1);
  }

  static DeliveryInput input(List<Integer> schedule, int firstAttempt) {
    return new DeliveryInput(
        DELIVERY_ID,
        "ten_test",
        "sub_test",
        "order.paid",
        "https://example.com/hook",
        schedule,
        firstAttempt);
  }

  /** A stub started as the API starts it, on the test worker's task queue. */
  static DeliveryWorkflow newWorkflow(WorkflowClient client, Worker worker, DeliveryInput input) {
    WorkflowOptions options =
        WorkflowOptions.newBuilder(DeliveryWorkflows.options(input))
            .setTaskQueue(worker.getTaskQueue())
            .build();
    return client.newWorkflowStub(DeliveryWorkflow.class, options);
  }

  static AttemptResult succeeded(int statusCode) {
    return new AttemptResult(
        AttemptOutcome.SUCCEEDED, statusCode, null, 35, null, "HTTP " + statusCode + " in 35 ms");
  }

  /** A failed attempt that asks for the planned delay (or none, when it was the last). */
  static AttemptResult failed(int statusCode, AttemptRequest request) {
    return failed(statusCode, request.retryDelaySeconds());
  }

  static AttemptResult failed(int statusCode, Integer nextDelaySeconds) {
    return new AttemptResult(
        AttemptOutcome.FAILED,
        statusCode,
        null,
        120,
        nextDelaySeconds,
        "HTTP " + statusCode + " in 120 ms");
  }

  static AttemptResult held() {
    return new AttemptResult(AttemptOutcome.HELD, null, null, 0, null, "subscription paused");
  }

  /** Polls until {@code condition} holds, failing after a real-time deadline. */
  static void awaitTrue(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + what, e);
      }
    }
  }
}
