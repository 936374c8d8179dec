package dev.herald.api.views;

import dev.herald.core.stats.AttemptStats;
import dev.herald.core.stats.LatencyHistogram;
import java.time.Instant;
import java.util.Map;

/**
 * A subscription's statistics over a window, as {@code GET /v1/subscriptions/{id}/stats} shows
 * them.
 *
 * @param successRate succeeded over attempts, 0 to 1; null without attempts
 * @param errors failed attempts by error code ({@code timeout}, {@code http_503}, ...)
 */
public record SubscriptionStatsView(
    String subscriptionId,
    String window,
    Instant from,
    Instant to,
    long attempts,
    long succeeded,
    long failed,
    Double successRate,
    Latency latencyMs,
    Map<String, Long> errors) {

  /** Estimated percentiles, mean and largest of the attempts' durations, in ms; null without. */
  public record Latency(Long p50, Long p95, Long p99, Long mean, Long max) {

    static Latency of(LatencyHistogram h) {
      return new Latency(h.percentileMs(0.50), h.percentileMs(0.95), h.percentileMs(0.99),
          h.meanMs(), h.largestMs());
    }
  }

  public static SubscriptionStatsView of(AttemptStats s) {
    return new SubscriptionStatsView(s.subscriptionId(), s.window().wireName(), s.from(), s.to(),
        s.attempts(), s.succeeded(), s.failed(), s.successRate(), Latency.of(s.latency()),
        s.errors());
  }
}
