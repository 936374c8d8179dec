package dev.herald.workflows.release;

import dev.herald.workflows.temporal.HeraldSearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;

/** Shared set-up for the release workflow tests. */
final class ReleaseTesting {

  static final String SUBSCRIPTION_ID = "sub_test";

  private ReleaseTesting() {}

  /** A time-skipping environment with the release workflow and Herald's search attributes. */
  static TestWorkflowExtension extension() {
    TestWorkflowExtension.Builder builder =
        TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(ReleaseWorkflowImpl.class)
            // The fake activities are made per test, so the worker starts in the test.
            .setDoNotStart(true);
    for (SearchAttributeKey<?> key : HeraldSearchAttributes.ALL) {
      builder.registerSearchAttribute(key.getName(), key.getValueType());
    }
    return builder.build();
  }

  /** A stub started as the API starts it, on the test worker's task queue. */
  static ReleaseWorkflow newWorkflow(WorkflowClient client, Worker worker) {
    WorkflowOptions options =
        WorkflowOptions.newBuilder(ReleaseWorkflows.options(SUBSCRIPTION_ID))
            .setTaskQueue(worker.getTaskQueue())
            .build();
    return client.newWorkflowStub(ReleaseWorkflow.class, options);
  }

  static ReleaseInput input(int ratePerSecond, int batchesPerRun) {
    return new ReleaseInput(SUBSCRIPTION_ID, ratePerSecond, batchesPerRun, 0, 0);
  }
}
