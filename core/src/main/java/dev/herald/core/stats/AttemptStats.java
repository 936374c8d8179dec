package dev.herald.core.stats;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A subscription's attempts in a window: those with an outcome of succeeded or failed whose start
 * fell in {@code [from, to]}.
 *
 * @param from the start of the window's first bucket
 * @param to when the window was read (its last bucket is the one still filling)
 * @param latency the durations of the attempts that sent a request
 * @param errors failed attempts by error code: the attempt's error code when it has one, else
 *     {@code http_<status>}
 */
public record AttemptStats(
    String subscriptionId,
    StatsWindow window,
    Instant from,
    Instant to,
    long attempts,
    long succeeded,
    long failed,
    LatencyHistogram latency,
    Map<String, Long> errors) {

  public AttemptStats {
    errors = Collections.unmodifiableMap(new TreeMap<>(errors));
  }

  /** The share of attempts that succeeded, 0 to 1; null without attempts. */
  public Double successRate() {
    return attempts == 0 ? null : (double) succeeded / attempts;
  }
}
