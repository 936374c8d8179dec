package dev.herald.core.stats;

import java.util.Arrays;

/**
 * Attempt durations counted in fixed buckets, with their sum and maximum: what the statistics of
 * a window keep of latency. Percentiles are estimates: linear interpolation inside the bucket
 * that holds the rank, so an estimate always lies within the bounds of the bucket that holds the
 * true (nearest-rank) percentile, and never above the largest duration counted. The open last
 * bucket interpolates up to that largest duration.
 *
 * @param counts how many durations fell in each bucket, {@link #SLOTS} of them
 * @param sumMs the sum of the durations counted
 * @param maxMs the largest duration counted, 0 when none was
 */
public record LatencyHistogram(long[] counts, long sumMs, long maxMs) {

  /** The buckets' inclusive upper bounds in milliseconds; a last bucket holds longer durations. */
  static final long[] BOUNDS = {10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000};

  /** The number of buckets: one per bound, and the open last one. */
  public static final int SLOTS = BOUNDS.length + 1;

  public LatencyHistogram {
    if (counts.length != SLOTS) {
      throw new IllegalArgumentException("a histogram has " + SLOTS + " buckets, not " + counts.length);
    }
    counts = counts.clone();
  }

  /** The bucket of a duration, from 0: the first whose bound it does not exceed. */
  static int slotOf(long durationMs) {
    for (int i = 0; i < BOUNDS.length; i++) {
      if (durationMs <= BOUNDS[i]) {
        return i;
      }
    }
    return BOUNDS.length;
  }

  @Override
  public long[] counts() {
    return counts.clone();
  }

  /** How many durations were counted. */
  public long count() {
    return Arrays.stream(counts).sum();
  }

  /** The mean duration, rounded to the millisecond; null when none was counted. */
  public Long meanMs() {
    long n = count();
    return n == 0 ? null : Math.round((double) sumMs / n);
  }

  /** The largest duration; null when none was counted. */
  public Long largestMs() {
    return count() == 0 ? null : maxMs;
  }

  /**
   * The estimated {@code p}-quantile (0 < p ≤ 1) in milliseconds, rounded; null when no duration
   * was counted.
   */
  public Long percentileMs(double p) {
    long n = count();
    if (n == 0) {
      return null;
    }
    double rank = p * n;
    long below = 0;
    for (int i = 0; i < SLOTS; i++) {
      long in = counts[i];
      if (in > 0 && below + in >= rank) {
        double lower = i == 0 ? 0 : BOUNDS[i - 1];
        double upper = i < BOUNDS.length ? Math.min(BOUNDS[i], maxMs) : Math.max(lower, maxMs);
        double estimate = lower + (upper - lower) * (rank - below) / in;
        return Math.round(Math.min(estimate, maxMs));
      }
      below += in;
    }
    return maxMs;
  }
}
