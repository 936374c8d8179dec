package dev.herald.workflows.batch;

import java.util.List;

/**
 * What starts (or restarts) a batch's workflow: ids and the schedule, never a payload.
 *
 * @param retrySchedule seconds to wait before each retry; attempts = size + 1
 * @param firstAttempt 1 for a new batch, more when the sweeper restarts one whose workflow was lost
 */
public record BatchInput(
    String batchId, String subscriptionId, List<Integer> retrySchedule, int firstAttempt) {

  public BatchInput {
    retrySchedule = List.copyOf(retrySchedule);
    if (firstAttempt < 1) {
      throw new IllegalArgumentException("firstAttempt must be at least 1");
    }
  }

  public int maxAttempts() {
    return retrySchedule.size() + 1;
  }
}
