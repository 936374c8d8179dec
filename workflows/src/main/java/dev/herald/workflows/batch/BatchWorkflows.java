package dev.herald.workflows.batch;

import dev.herald.workflows.temporal.HeraldSearchAttributes;
import dev.herald.workflows.temporal.TaskQueues;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import io.temporal.workflow.ChildWorkflowOptions;

/** Ids and options of the batcher and batch workflows. */
public final class BatchWorkflows {

  private BatchWorkflows() {}

  /** {@code batcher-<subscriptionId>}. */
  public static String batcherId(String subscriptionId) {
    return "batcher-" + subscriptionId;
  }

  /** {@code batch-<batchId>}. */
  public static String batchId(String batchId) {
    return "batch-" + batchId;
  }

  /** The batcher of a subscription: one at a time; a closed one may run again. */
  public static WorkflowOptions batcherOptions(String subscriptionId) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(batcherId(subscriptionId))
        .setTaskQueue(TaskQueues.DELIVERIES)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .setTypedSearchAttributes(attributes(subscriptionId))
        .setStaticSummary("gather batched deliveries of " + subscriptionId)
        .build();
  }

  /** A batch's workflow as the sweeper restarts it. */
  public static WorkflowOptions batchOptions(BatchInput input) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(batchId(input.batchId()))
        .setTaskQueue(TaskQueues.DELIVERIES)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .setTypedSearchAttributes(attributes(input.subscriptionId()))
        .setStaticSummary(summary(input))
        .build();
  }

  /**
   * A batch's workflow as its batcher starts it: a child that outlives the batcher (which
   * continues as new, or ends, while the batch still retries).
   */
  static ChildWorkflowOptions childOptions(BatchInput input) {
    return ChildWorkflowOptions.newBuilder()
        .setWorkflowId(batchId(input.batchId()))
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .setTypedSearchAttributes(attributes(input.subscriptionId()))
        .setStaticSummary(summary(input))
        .build();
  }

  private static SearchAttributes attributes(String subscriptionId) {
    return SearchAttributes.newBuilder()
        .set(HeraldSearchAttributes.SUBSCRIPTION_ID, subscriptionId)
        .build();
  }

  static String summary(BatchInput input) {
    return "batch " + input.batchId() + " of " + input.subscriptionId();
  }
}
