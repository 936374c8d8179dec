package dev.herald.api.temporal;

import dev.herald.workflows.batch.BatchDeliveryWorkflow;
import dev.herald.workflows.batch.BatchInput;
import dev.herald.workflows.batch.BatchWorkflows;
import dev.herald.workflows.batch.BatcherInput;
import dev.herald.workflows.batch.BatcherWorkflow;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import java.util.function.Consumer;

/**
 * Wakes a batched subscription's batcher (signal-with-start of {@code batcher-<subscriptionId>}:
 * a running one looks again, otherwise one starts), and starts or tells a batch's workflow.
 * Called through {@link Handoff}.
 */
final class BatchStarter {

  private final WorkflowClient client;

  BatchStarter(WorkflowClient client) {
    this.client = client;
  }

  void wake(String subscriptionId) {
    BatcherWorkflow batcher =
        client.newWorkflowStub(BatcherWorkflow.class, BatchWorkflows.batcherOptions(subscriptionId));
    BatchRequest request = client.newSignalWithStartRequest();
    request.add(batcher::gather, BatcherInput.of(subscriptionId));
    request.add(batcher::wake);
    client.signalWithStart(request);
  }

  /** @return true when a workflow was started, false when one was already running */
  boolean start(BatchInput input) {
    BatchDeliveryWorkflow batch =
        client.newWorkflowStub(BatchDeliveryWorkflow.class, BatchWorkflows.batchOptions(input));
    try {
      WorkflowClient.start(batch::send, input);
      return true;
    } catch (WorkflowExecutionAlreadyStarted e) {
      return false;
    }
  }

  /** Sends {@code slotFree}; false when the batch's workflow is not running. */
  boolean slotFree(String batchId) {
    return signal(batchId, BatchDeliveryWorkflow::slotFree);
  }

  /** Sends {@code retryNow}; false when the batch's workflow is not running. */
  boolean retryNow(String batchId) {
    return signal(batchId, BatchDeliveryWorkflow::retryNow);
  }

  /** Sends {@code released}; false when the batch's workflow is not running. */
  boolean released(String batchId) {
    return signal(batchId, BatchDeliveryWorkflow::released);
  }

  private boolean signal(String batchId, Consumer<BatchDeliveryWorkflow> signal) {
    try {
      signal.accept(
          client.newWorkflowStub(BatchDeliveryWorkflow.class, BatchWorkflows.batchId(batchId)));
      return true;
    } catch (WorkflowNotFoundException e) {
      return false;
    }
  }
}
