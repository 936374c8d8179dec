package dev.herald.activities.health;

import dev.herald.workflows.health.AttemptReport;
import dev.herald.workflows.health.HealthInput;
import dev.herald.workflows.health.SubscriptionHealthWorkflow;
import dev.herald.workflows.health.SubscriptionHealthWorkflows;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;

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
    send(tenantId, subscriptionId, report, false);
  }

  /** An attempt succeeded after failures. */
  public void succeeded(String tenantId, String subscriptionId, AttemptReport report) {
    send(tenantId, subscriptionId, report, true);
  }

  /**
   * An attempt succeeded, told only to a health workflow that is running: one that never started
   * has no streak for the success to end, and is not started for it (a healthy endpoint costs the
   * health workflow nothing).
   */
  public void succeededIfWatched(String subscriptionId, AttemptReport report) {
    try {
      client
          .newWorkflowStub(
              SubscriptionHealthWorkflow.class, SubscriptionHealthWorkflows.workflowId(subscriptionId))
          .attemptSucceeded(report);
    } catch (WorkflowNotFoundException e) {
      // Never failed, or an operator ended its health workflow: nothing to tell.
    }
  }

  private void send(String tenantId, String subscriptionId, AttemptReport report, boolean success) {
    SubscriptionHealthWorkflow workflow = stub(tenantId, subscriptionId);
    BatchRequest batch = client.newSignalWithStartRequest();
    batch.add(workflow::watch, HealthInput.of(subscriptionId, tenantId));
    if (success) {
      batch.add(workflow::attemptSucceeded, report);
    } else {
      batch.add(workflow::attemptFailed, report);
    }
    try {
      client.signalWithStart(batch);
    } catch (WorkflowExecutionAlreadyStarted e) {
      // Two first reports raced to start it (some servers answer so): it runs now, so signal it.
      SubscriptionHealthWorkflow running =
          client.newWorkflowStub(
              SubscriptionHealthWorkflow.class, SubscriptionHealthWorkflows.workflowId(subscriptionId));
      if (success) {
        running.attemptSucceeded(report);
      } else {
        running.attemptFailed(report);
      }
    }
  }

  private SubscriptionHealthWorkflow stub(String tenantId, String subscriptionId) {
    return client.newWorkflowStub(
        SubscriptionHealthWorkflow.class, SubscriptionHealthWorkflows.options(subscriptionId, tenantId));
  }
}
