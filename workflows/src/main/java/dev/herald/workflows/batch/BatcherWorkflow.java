package dev.herald.workflows.batch;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Gathers a batched subscription's deliveries into batches: one workflow per subscription, id
 * {@code batcher-<subscriptionId>}, started by signal-with-start of {@link #wake()} after a
 * publish commits (and by the sweeper for deliveries gathered too long). It reads what is
 * gathered from PostgreSQL (an activity; no payload crosses Temporal), waits on a durable timer
 * until the oldest has waited {@code maxWaitSeconds} unless {@code maxEvents} or {@code maxBytes}
 * is reached first, claims them into a batch row and starts that batch's {@link
 * BatchDeliveryWorkflow} as an abandoned child. It ends after a quiet spell with nothing gathered,
 * and continues as new to keep its history bounded.
 */
@WorkflowInterface
public interface BatcherWorkflow {

  @WorkflowMethod
  void gather(BatcherInput input);

  /** Deliveries were committed (or released): look again at what is gathered. */
  @SignalMethod
  void wake();
}
