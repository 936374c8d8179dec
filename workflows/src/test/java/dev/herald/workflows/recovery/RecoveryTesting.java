package dev.herald.workflows.recovery;

import dev.herald.workflows.temporal.HeraldSearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Instant;

/** Shared set-up for the recovery workflow tests. */
final class RecoveryTesting {

  static final String JOB_ID = "job_test";
  static final String SUBSCRIPTION_ID = "sub_test";
  static final Instant SINCE = Instant.parse("2026-11-20T18:00:00Z");
  static final Instant UNTIL = Instant.parse("2026-11-23T09:00:00Z");

  private RecoveryTesting() {}

  /** A time-skipping environment with the recovery workflow and Herald's search attributes. */
  static TestWorkflowExtension extension() {
    TestWorkflowExtension.Builder builder =
        TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(RecoveryWorkflowImpl.class)
            // The fake activities are made per test, so the worker starts in the test.
            .setDoNotStart(true);
    for (SearchAttributeKey<?> key : HeraldSearchAttributes.ALL) {
      builder.registerSearchAttribute(key.getName(), key.getValueType());
    }
    return builder.build();
  }

  /** A stub started as the API starts it, on the test worker's task queue. */
  static RecoveryWorkflow newWorkflow(WorkflowClient client, Worker worker) {
    WorkflowOptions options =
        WorkflowOptions.newBuilder(RecoveryWorkflows.options(JOB_ID, SUBSCRIPTION_ID, SINCE, UNTIL))
            .setTaskQueue(worker.getTaskQueue())
            .build();
    return client.newWorkflowStub(RecoveryWorkflow.class, options);
  }

  static RecoveryInput input(int ratePerSecond, int batchesPerRun) {
    return new RecoveryInput(JOB_ID, ratePerSecond, batchesPerRun, RecoveryProgress.starting());
  }
}
