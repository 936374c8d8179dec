package dev.herald.api.temporal;

import dev.herald.workflows.health.ResetRequest;
import dev.herald.workflows.health.SubscriptionHealthWorkflow;
import dev.herald.workflows.health.SubscriptionHealthWorkflows;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Signals to a subscription's health workflow on behalf of the API. */
final class HealthSignals {

  private static final Logger log = LoggerFactory.getLogger(HealthSignals.class);

  private final WorkflowClient client;

  public HealthSignals(WorkflowClient client) {
    this.client = client;
  }

  /**
   * Tells the health workflow to count from zero (the subscription was re-enabled). No workflow
   * means nothing to reset. A signal that cannot be sent is logged: the workflow also treats a
   * failure made after it disabled the subscription as a sign that it was re-enabled.
   */
  public void reset(String subscriptionId, String reason) {
    try {
      client
          .newWorkflowStub(
              SubscriptionHealthWorkflow.class, SubscriptionHealthWorkflows.workflowId(subscriptionId))
          .reset(new ResetRequest(reason));
    } catch (WorkflowNotFoundException e) {
      log.debug("no health workflow to reset for {}", subscriptionId);
    } catch (RuntimeException e) {
      log.warn("could not reset the health workflow of {}: {}", subscriptionId, e.toString());
    }
  }
}
