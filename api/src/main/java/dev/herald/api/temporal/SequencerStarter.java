package dev.herald.api.temporal;

import dev.herald.workflows.ordering.OrderedDeliveryWorkflow;
import dev.herald.workflows.ordering.OrderedDeliveryWorkflows;
import dev.herald.workflows.ordering.OrderedInput;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;

/**
 * Starts or wakes the sequencer of an ordered key: signal-with-start of {@code
 * ordered-<subscriptionId>-<hash of the key>}, so that a running sequencer is told to look again
 * (it may be about to end having seen nothing) and an ended one starts anew. Called through
 * {@link Handoff}, after the commit that made, released or reopened one of the key's deliveries.
 */
final class SequencerStarter {

  private final WorkflowClient client;

  SequencerStarter(WorkflowClient client) {
    this.client = client;
  }

  /** Throws when Temporal refuses or cannot be reached. */
  void wake(String tenantId, String subscriptionId, String key) {
    OrderedInput input = OrderedInput.of(tenantId, subscriptionId, key);
    OrderedDeliveryWorkflow workflow =
        client.newWorkflowStub(OrderedDeliveryWorkflow.class, OrderedDeliveryWorkflows.options(input));
    BatchRequest request = client.newSignalWithStartRequest();
    request.add(workflow::run, input);
    request.add(workflow::wake);
    client.signalWithStart(request);
  }
}
