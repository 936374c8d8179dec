package dev.herald.workflows.schedule;

import java.util.List;
import java.util.Random;

/** The arithmetic of retry schedules. Pure and deterministic given its {@link Random}. */
public final class RetrySchedule {

  /** The default schedule: 8 attempts over about 27.6 hours. */
  public static final List<Integer> DEFAULT = List.of(5, 300, 1800, 7200, 18000, 36000, 36000);

  /** The longest wait a {@code Retry-After} header can impose: 24 hours. */
  public static final int MAX_RETRY_AFTER_SECONDS = 86_400;

  /** Jitter applied to every scheduled wait: ±10 %. */
  public static final double JITTER = 0.10;

  private RetrySchedule() {}

  /**
   * The wait before attempt {@code nextAttempt}, jittered by ±10 %, in whole seconds (at least 1).
   *
   * @param schedule the subscription's schedule; entry {@code i} is the wait before attempt {@code i + 2}
   * @param failedAttempt the number of the attempt that just failed (1-based)
   * @return the jittered wait, or {@code null} when the schedule has no attempt after it
   */
  public static Integer jitteredDelay(List<Integer> schedule, int failedAttempt, Random random) {
    if (failedAttempt < 1 || failedAttempt > schedule.size()) {
      return null;
    }
    int base = schedule.get(failedAttempt - 1);
    double factor = 1.0 + JITTER * (2 * random.nextDouble() - 1);
    return Math.max(1, (int) Math.round(base * factor));
  }

  /**
   * The wait actually used: the planned one, or the endpoint's {@code Retry-After} when that is
   * longer, capped at {@link #MAX_RETRY_AFTER_SECONDS}.
   */
  public static int withRetryAfter(int plannedSeconds, Integer retryAfterSeconds) {
    if (retryAfterSeconds == null || retryAfterSeconds <= plannedSeconds) {
      return plannedSeconds;
    }
    return Math.min(retryAfterSeconds, MAX_RETRY_AFTER_SECONDS);
  }

  /**
   * {@code maxRetries} waits of {@code d, 2d, 4d, …}, each capped at 86400 s.
   */
  public static List<Integer> exponential(int maxRetries, int delaySeconds) {
    Integer[] out = new Integer[maxRetries];
    long d = delaySeconds;
    for (int i = 0; i < maxRetries; i++) {
      out[i] = (int) Math.min(d, 86_400L);
      d = Math.min(d * 2, 86_400L);
    }
    return List.of(out);
  }
}
