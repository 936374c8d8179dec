package dev.herald.workflows.batch;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Sends one batch, id {@code batch-<batchId>}: one request carrying every event of the batch,
 * attempted and retried as a unit on the subscription's schedule, each attempt recorded on every
 * delivery of the batch. Ends Failed (type {@value #EXHAUSTED}) when the schedule is exhausted.
 * While the subscription is paused or disabled the batch is held; {@link #released()} (or a look
 * of its own every few minutes) sends it once it is deliverable again.
 */
@WorkflowInterface
public interface BatchDeliveryWorkflow {

  /** The failure type of a batch whose every attempt failed. */
  String EXHAUSTED = "BatchExhausted";

  @WorkflowMethod
  void send(BatchInput input);

  /** The subscription is deliverable again: a held batch tries at once. */
  @SignalMethod
  void released();
}
