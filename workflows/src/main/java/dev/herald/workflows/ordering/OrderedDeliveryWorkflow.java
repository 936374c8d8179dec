package dev.herald.workflows.ordering;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Delivers the deliveries of one ordered key one at a time, in feed-position order: one workflow
 * per subscription and key, id {@code ordered-<subscriptionId>-<first 16 hex of sha256(key)>},
 * started or woken by signal-with-start after each commit that makes or reopens one of the key's
 * deliveries.
 *
 * <p>It does not trust the order of its signals: on each turn it asks PostgreSQL for the key's
 * unfinished delivery with the lowest feed position and runs that delivery's own {@code
 * DeliveryWorkflow} ({@code delivery-<deliveryId>}) as a child, waiting for it to end (succeeded,
 * failed, cancelled) before it asks again. A held delivery holds the key: the sequencer ends and
 * the release wakes it. It ends when the key has nothing left, and continues as new after {@link
 * OrderedInput#deliveriesPerRun()} deliveries.
 */
@WorkflowInterface
public interface OrderedDeliveryWorkflow {

  @WorkflowMethod
  void run(OrderedInput input);

  /** The key may have a delivery to send: look again before ending. */
  @SignalMethod
  void wake();

  /** Where the sequencer stands. */
  @QueryMethod
  OrderedProgress progress();
}
