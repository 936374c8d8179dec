package dev.herald.workflows.recovery;

import dev.herald.workflows.temporal.HeraldSearchAttributes;
import dev.herald.workflows.temporal.TaskQueues;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import java.time.Instant;

/** How a recovery workflow is started: by the API when a job is created, and by the sweeper. */
public final class RecoveryWorkflows {

  private RecoveryWorkflows() {}

  /** {@code recovery-<jobId>}. */
  public static String workflowId(String jobId) {
    return "recovery-" + jobId;
  }

  /**
   * The options of the recovery of job {@code jobId}: its id (one workflow per job), the
   * deliveries task queue, the subscription search attribute and a static summary. A closed
   * workflow of a job still running may be started again under the same id.
   */
  public static WorkflowOptions options(String jobId, String subscriptionId, Instant since, Instant until) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId(jobId))
        .setTaskQueue(TaskQueues.DELIVERIES)
        .setTypedSearchAttributes(
            SearchAttributes.newBuilder()
                .set(HeraldSearchAttributes.SUBSCRIPTION_ID, subscriptionId)
                .build())
        .setStaticSummary(summary(subscriptionId, since, until))
        .build();
  }

  /** {@code recover failed deliveries of sub_… from 2026-11-20T18:00:00Z to 2026-11-23T09:00:00Z}. */
  public static String summary(String subscriptionId, Instant since, Instant until) {
    return "recover failed deliveries of " + subscriptionId + " from " + since + " to " + until;
  }
}
