package dev.herald.api.views;

import dev.herald.core.delivery.Attempt;
import java.time.Instant;

/** One attempt as the API shows it. */
public record AttemptView(
    int number,
    Instant startedAt,
    long durationMs,
    Integer statusCode,
    String responseBody,
    String error,
    String outcome) {

  public static AttemptView of(Attempt a) {
    return new AttemptView(a.number(), a.startedAt(), a.durationMs(), a.statusCode(),
        a.responseBody(), a.error(), a.outcome().wireName());
  }
}
