package dev.herald.workflows.batch;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Sends one batch, id {@code batch-<batchId>}: one request carrying every event of the batch,
 * attempted and retried as a unit on the subscription's schedule, each attempt recorded on every
 * delivery of the batch. Ends Failed (type {@value #EXHAUSTED}) when the schedule is exhausted.
 * While the subscription is paused or disabled the batch is held; {@link #released()} (or a look
 * of its own every few minutes) sends it once it is deliverable again. {@link #retryNow()} cuts a
 * backoff short.
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

  /**
   * A retrying batch makes its next attempt now instead of at the end of its backoff; the
   * schedule goes on after that attempt. Sent by {@code POST /v1/deliveries/{id}/retry} on any of
   * its deliveries, or by an operator from the Temporal UI.
   */
  @SignalMethod
  void retryNow();

  /**
   * A slot of its endpoint's {@code maxConcurrency} was freed: a batch waiting for one asks again
   * now instead of at its next look.
   */
  @SignalMethod
  void slotFree();
}
