package dev.herald.workflows.release;

import dev.herald.workflows.temporal.HeraldSearchAttributes;
import dev.herald.workflows.temporal.TaskQueues;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;

/** How a release workflow is started: by the API on unpause or re-enable, and by the sweeper. */
public final class ReleaseWorkflows {

  private ReleaseWorkflows() {}

  /** {@code subscription-release-<subscriptionId>}. */
  public static String workflowId(String subscriptionId) {
    return "subscription-release-" + subscriptionId;
  }

  /**
   * The options of the release of {@code subscriptionId}: its id (one release per subscription at
   * a time), the deliveries task queue, the subscription search attribute and a static summary.
   * A closed release may run again under the same id.
   */
  public static WorkflowOptions options(String subscriptionId) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId(subscriptionId))
        .setTaskQueue(TaskQueues.DELIVERIES)
        .setTypedSearchAttributes(
            SearchAttributes.newBuilder()
                .set(HeraldSearchAttributes.SUBSCRIPTION_ID, subscriptionId)
                .build())
        .setStaticSummary(summary(subscriptionId))
        .build();
  }

  /** {@code release held deliveries of sub_…}. */
  public static String summary(String subscriptionId) {
    return "release held deliveries of " + subscriptionId;
  }
}
