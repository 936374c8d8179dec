package dev.herald.activities.health;

import dev.herald.workflows.health.AttemptReport;
import dev.herald.workflows.health.HealthInput;
import dev.herald.workflows.health.SubscriptionHealthWorkflow;
import dev.herald.workflows.health.SubscriptionHealthWorkflows;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;

/**
 * Tells a subscription's health workflow about an attempt, starting the workflow if it is not
 * running (signal-with-start, which workflow code cannot do). Called by the attempt activity
 * after the attempt is recorded; a report that fails to arrive fails the activity, whose retry
 * reports again, and the workflow ignores a report it has seen.
 */
public class HealthReporter {

  private final WorkflowClient client;

  public HealthReporter(WorkflowClient client) {
    this.client = client;
  }

  /** An attempt failed. */
  public void failed(String tenantId, String subscriptionId, AttemptReport report) {
    SubscriptionHealthWorkflow workflow = stub(tenantId, subscriptionId);
    BatchRequest batch = client.newSignalWithStartRequest();
    batch.add(workflow::watch, HealthInput.of(subscriptionId, tenantId));
    batch.add(workflow::attemptFailed, report);
    client.signalWithStart(batch);
  }

  /** An attempt succeeded after failures. */
  public void succeeded(String tenantId, String subscriptionId, AttemptReport report) {
    SubscriptionHealthWorkflow workflow = stub(tenantId, subscriptionId);
    BatchRequest batch = client.newSignalWithStartRequest();
    batch.add(workflow::watch, HealthInput.of(subscriptionId, tenantId));
    batch.add(workflow::attemptSucceeded, report);
    client.signalWithStart(batch);
  }

  private SubscriptionHealthWorkflow stub(String tenantId, String subscriptionId) {
    return client.newWorkflowStub(
        SubscriptionHealthWorkflow.class, SubscriptionHealthWorkflows.options(subscriptionId, tenantId));
  }
}
