package dev.herald.workflows.health;

import dev.herald.workflows.temporal.HeraldSearchAttributes;
import dev.herald.workflows.temporal.TaskQueues;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;

/** How the health workflow of a subscription is addressed and started. */
public final class SubscriptionHealthWorkflows {

  private SubscriptionHealthWorkflows() {}

  /** {@code subscription-health-<subscriptionId>}. */
  public static String workflowId(String subscriptionId) {
    return "subscription-health-" + subscriptionId;
  }

  /** Start options: the id, the deliveries task queue, tenant and subscription, a summary. */
  public static WorkflowOptions options(String subscriptionId, String tenantId) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId(subscriptionId))
        .setTaskQueue(TaskQueues.DELIVERIES)
        .setTypedSearchAttributes(
            SearchAttributes.newBuilder()
                .set(HeraldSearchAttributes.TENANT_ID, tenantId)
                .set(HeraldSearchAttributes.SUBSCRIPTION_ID, subscriptionId)
                .build())
        .setStaticSummary("health of " + subscriptionId)
        .build();
  }
}
