package dev.herald.core.flow;

import java.time.Duration;

/**
 * How hard Herald may call one subscription's endpoint, as its owner set it.
 *
 * @param maxConcurrency attempts in flight at once across every worker, or {@code null} for no limit
 * @param rateLimit attempts per period, spaced evenly, or {@code null} for no limit
 */
public record FlowLimits(Integer maxConcurrency, RateLimit rateLimit) {

  /** No limit: attempts start as soon as a worker takes them. */
  public static final FlowLimits NONE = new FlowLimits(null, null);

  public FlowLimits {
    if (maxConcurrency != null && (maxConcurrency < 1 || maxConcurrency > 1000)) {
      throw new IllegalArgumentException("maxConcurrency must be 1–1000");
    }
  }

  /** Whether either limit is set: only then is an attempt admitted through PostgreSQL. */
  public boolean isLimited() {
    return maxConcurrency != null || rateLimit != null;
  }

  /**
   * At most {@code count} attempts per {@code periodSeconds} (1 or 60), started at least {@code
   * periodSeconds / count} apart: no window of one period ever holds more than {@code count}.
   */
  public record RateLimit(int count, int periodSeconds) {

    public RateLimit {
      if (count < 1 || count > 100_000) {
        throw new IllegalArgumentException("a rate limit's count must be 1–100000");
      }
      if (periodSeconds != 1 && periodSeconds != 60) {
        throw new IllegalArgumentException("a rate limit's period is 1 or 60 seconds");
      }
    }

    public static RateLimit perSecond(int count) {
      return new RateLimit(count, 1);
    }

    public static RateLimit perMinute(int count) {
      return new RateLimit(count, 60);
    }

    /** The least time between two starts. */
    public Duration interval() {
      return Duration.ofNanos(periodSeconds * 1_000_000_000L / count);
    }

    /** As the API spells it: {@code 10/s}, {@code 30/min}. */
    @Override
    public String toString() {
      return count + (periodSeconds == 1 ? "/s" : "/min");
    }
  }
}
