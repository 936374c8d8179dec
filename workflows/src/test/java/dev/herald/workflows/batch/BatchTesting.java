package dev.herald.workflows.batch;

import dev.herald.workflows.temporal.HeraldSearchAttributes;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;

/** Shared set-up for the batching workflow tests. */
final class BatchTesting {

  static final String SUBSCRIPTION_ID = "sub_batched";

  private BatchTesting() {}

  /** A time-skipping environment with the batcher and batch workflows. */
  static TestWorkflowExtension extension() {
    TestWorkflowExtension.Builder builder =
        TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(
                BatcherWorkflowImpl.class, BatchDeliveryWorkflowImpl.class)
            .setDoNotStart(true);
    for (SearchAttributeKey<?> key : HeraldSearchAttributes.ALL) {
      builder.registerSearchAttribute(key.getName(), key.getValueType());
    }
    return builder.build();
  }

  /** Wakes the subscription's batcher as the API does after a publish: signal-with-start. */
  static void wake(WorkflowClient client, Worker worker) {
    WorkflowOptions options =
        WorkflowOptions.newBuilder(BatchWorkflows.batcherOptions(SUBSCRIPTION_ID))
            .setTaskQueue(worker.getTaskQueue())
            .build();
    BatcherWorkflow batcher = client.newWorkflowStub(BatcherWorkflow.class, options);
    BatchRequest request = client.newSignalWithStartRequest();
    request.add(batcher::gather, BatcherInput.of(SUBSCRIPTION_ID));
    request.add(batcher::wake);
    client.signalWithStart(request);
  }
}
