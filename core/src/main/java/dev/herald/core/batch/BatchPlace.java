package dev.herald.core.batch;

/**
 * Where a batched delivery stands.
 *
 * @param batchId the batch it was claimed into, or null while it is gathered
 * @param batched false once it was retried by hand: it goes on alone, with a workflow of its own
 */
public record BatchPlace(String subscriptionId, String batchId, boolean batched) {

  /**
   * The workflow that moves it on: its batch's, or its subscription's batcher while gathered;
   * null when it goes on alone.
   */
  public String workflowId() {
    if (!batched) {
      return null;
    }
    return batchId == null ? "batcher-" + subscriptionId : "batch-" + batchId;
  }
}
