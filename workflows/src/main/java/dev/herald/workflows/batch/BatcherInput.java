package dev.herald.workflows.batch;

/**
 * What starts a subscription's batcher.
 *
 * @param subscriptionId whose batched deliveries it gathers
 * @param historyLimit history events after which it continues as new
 */
public record BatcherInput(String subscriptionId, int historyLimit) {

  /** The history a batcher run keeps at most before it continues as new. */
  public static final int HISTORY_LIMIT = 2_000;

  public static BatcherInput of(String subscriptionId) {
    return new BatcherInput(subscriptionId, HISTORY_LIMIT);
  }
}
