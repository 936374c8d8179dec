package dev.herald.workflows.batch;

/**
 * What a batcher found gathered.
 *
 * @param live false once the subscription is deleted: the batcher ends
 * @param count gathered deliveries (counted up to {@code maxEvents})
 * @param bytes the size of their events' JSON
 * @param oldestMillis when the oldest was made (epoch millis), 0 when none
 * @param maxEvents the subscription's limits now; when it is no longer batched, what is gathered
 *     goes at once ({@code maxWaitSeconds} 0)
 */
public record GatherResult(
    boolean live, int count, long bytes, long oldestMillis, int maxEvents, int maxWaitSeconds,
    long maxBytes) {

  /** Whether a limit of count or size is reached: claim now, whatever the time. */
  public boolean full() {
    return count >= maxEvents || bytes >= maxBytes;
  }

  /** When the oldest gathered delivery has waited long enough (epoch millis). */
  public long dueMillis() {
    return oldestMillis + maxWaitSeconds * 1000L;
  }
}
