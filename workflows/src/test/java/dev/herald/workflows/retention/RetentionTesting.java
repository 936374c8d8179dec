package dev.herald.workflows.retention;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;

/** Shared set-up for the retention workflow tests. */
final class RetentionTesting {

  private RetentionTesting() {}

  /** A time-skipping environment with the retention workflow; the test starts the worker. */
  static TestWorkflowExtension extension() {
    return TestWorkflowExtension.newBuilder()
        .registerWorkflowImplementationTypes(RetentionWorkflowImpl.class)
        .setDoNotStart(true)
        .build();
  }

  /** A stub started as a worker starts it, on the test worker's task queue. */
  static RetentionWorkflow newWorkflow(WorkflowClient client, Worker worker) {
    return client.newWorkflowStub(RetentionWorkflow.class,
        WorkflowOptions.newBuilder(RetentionWorkflows.options())
            .setTaskQueue(worker.getTaskQueue())
            .build());
  }
}
