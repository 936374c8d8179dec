package dev.herald.workflows.retention;

import dev.herald.workflows.temporal.TaskQueues;
import io.temporal.client.WorkflowOptions;

/** How the retention workflow is started: by each worker process as it starts. */
public final class RetentionWorkflows {

  /** One retention workflow per Temporal namespace. */
  public static final String WORKFLOW_ID = "herald-retention";

  /** What the Temporal UI lists it as. */
  public static final String SUMMARY =
      "remove finished deliveries, their attempts and events past the retention period";

  private RetentionWorkflows() {}

  /** Its fixed id, the deliveries task queue and a static summary. */
  public static WorkflowOptions options() {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(WORKFLOW_ID)
        .setTaskQueue(TaskQueues.DELIVERIES)
        .setStaticSummary(SUMMARY)
        .build();
  }
}
