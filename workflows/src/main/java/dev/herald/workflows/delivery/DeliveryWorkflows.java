package dev.herald.workflows.delivery;

import dev.herald.model.DeliveryInput;
import dev.herald.model.DeliveryStatus;
import dev.herald.workflows.temporal.HeraldSearchAttributes;
import dev.herald.workflows.temporal.TaskQueues;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.Priority;
import io.temporal.common.SearchAttributes;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;

/** How a delivery workflow is started: used by the API when publishing and by the sweeper. */
public final class DeliveryWorkflows {

  private DeliveryWorkflows() {}

  /**
   * The workflow type of {@link DeliveryWorkflow}, as the SDK names it from the interface: what
   * an untyped stub starts (a typed stub reads the interface's annotations again on every start).
   */
  public static final String TYPE = "DeliveryWorkflow";

  /**
   * The options of the workflow for {@code input}: id {@code delivery-<deliveryId>} (so starting
   * twice is refused while one runs), the deliveries task queue, the initial search attributes
   * ({@code pending}, attempts so far), a static summary for the Temporal UI, and the subscription
   * as the fairness key ({@link #fairness}).
   *
   * <p>Duplicate ids are allowed once the earlier run closed, so the sweeper can restart a delivery
   * whose workflow is gone; it decides from PostgreSQL whether it should.
   *
   * <p>Eager start: when the client that starts it is the one a running worker of the deliveries
   * task queue was made with, and that worker has a free workflow task slot, the start's answer
   * carries the workflow's first task to that worker, and the server's dispatch through the task
   * queue is skipped (on {@code temporal server start-dev}, about 15 ms of a delivery's median).
   * The history is the same; with no such worker, the start is an ordinary one.
   */
  public static WorkflowOptions options(DeliveryInput input) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(DeliveryInput.workflowId(input.deliveryId()))
        .setTaskQueue(TaskQueues.DELIVERIES)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .setTypedSearchAttributes(searchAttributes(input))
        .setStaticSummary(summary(input))
        .setPriority(fairness(input))
        .setDisableEagerExecution(false)
        .build();
  }

  /**
   * The options of an ordered delivery's workflow, started by its key's sequencer as a child:
   * the same id, search attributes, summary and fairness key as {@link #options}, on the
   * sequencer's task queue, so the delivery looks in the Temporal UI as any other. The child is
   * abandoned, not cancelled or terminated, when the sequencer is: the delivery goes on, and the
   * key's next sequencer waits for it.
   */
  public static ChildWorkflowOptions childOptions(DeliveryInput input) {
    return ChildWorkflowOptions.newBuilder()
        .setWorkflowId(DeliveryInput.workflowId(input.deliveryId()))
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .setTypedSearchAttributes(searchAttributes(input))
        .setStaticSummary(summary(input))
        .setPriority(fairness(input))
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
        .setCancellationType(ChildWorkflowCancellationType.ABANDON)
        .build();
  }

  /** The initial search attributes: tenant, subscription, event type, pending, attempts so far. */
  private static SearchAttributes searchAttributes(DeliveryInput input) {
    return SearchAttributes.newBuilder()
        .set(HeraldSearchAttributes.TENANT_ID, input.tenantId())
        .set(HeraldSearchAttributes.SUBSCRIPTION_ID, input.subscriptionId())
        .set(HeraldSearchAttributes.EVENT_TYPE, input.eventType())
        .set(HeraldSearchAttributes.DELIVERY_STATUS, DeliveryStatus.PENDING.wireName())
        .set(HeraldSearchAttributes.ATTEMPTS, (long) (input.firstAttempt() - 1))
        .build();
  }

  /**
   * The subscription (or one-off destination) as the workflow's fairness key, inherited by its
   * attempt activities: where the server has task queue fairness on ({@code
   * matching.enableFairness}, which {@code herald dev} and the compose file set), it hands out the
   * deliveries queue's workflow and activity tasks round-robin over the keys with a backlog, so an
   * endpoint with thousands of deliveries waiting or hanging does not queue ahead of another
   * subscription's. A server without it ignores the key.
   */
  static Priority fairness(DeliveryInput input) {
    return Priority.newBuilder().setFairnessKey(input.subscriptionId()).build();
  }

  /** {@code order.paid → https://example.com/hook (sub_…)}. */
  public static String summary(DeliveryInput input) {
    return input.eventType() + " → " + input.url() + " (" + input.subscriptionId() + ")";
  }
}
