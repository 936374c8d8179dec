package dev.herald.workflows.ordering;

import dev.herald.workflows.delivery.DeliveryWorkflowImpl;
import dev.herald.workflows.temporal.HeraldSearchAttributes;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;

/** Shared set-up for the sequencer's tests. */
final class OrderedTesting {

  private OrderedTesting() {}

  /**
   * A time-skipping environment with the sequencer and the delivery workflow it runs as its
   * children, and Herald's search attributes.
   */
  static TestWorkflowExtension extension() {
    TestWorkflowExtension.Builder builder =
        TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(
                OrderedDeliveryWorkflowImpl.class, DeliveryWorkflowImpl.class)
            // The fake store is made per test, so the worker starts in the test.
            .setDoNotStart(true);
    for (SearchAttributeKey<?> key : HeraldSearchAttributes.ALL) {
      builder.registerSearchAttribute(key.getName(), key.getValueType());
    }
    return builder.build();
  }

  /** Signal-with-start, as the API's handoff does after a commit, on the test worker's queue. */
  static WorkflowExecution wake(WorkflowClient client, Worker worker, OrderedInput input) {
    WorkflowOptions options =
        WorkflowOptions.newBuilder(OrderedDeliveryWorkflows.options(input))
            .setTaskQueue(worker.getTaskQueue())
            .build();
    OrderedDeliveryWorkflow workflow = client.newWorkflowStub(OrderedDeliveryWorkflow.class, options);
    BatchRequest request = client.newSignalWithStartRequest();
    request.add(workflow::run, input);
    request.add(workflow::wake);
    return client.signalWithStart(request);
  }
}
