package dev.herald.workflows.retention;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The sentences retention shows in the Temporal UI. */
final class RetentionDescriptions {

  private RetentionDescriptions() {}

  /**
   * {@code removed 25350 deliveries, 100700 attempts, 14550 events in 26 batches; cutoff
   * 2026-10-02T15:00:00Z; last batch 1000 deliveries in 152 ms, next after a pause}.
   */
  static String details(RetentionProgress p, RetentionBatchResult last) {
    return "removed " + p.deliveries() + " deliveries, " + p.attempts() + " attempts, "
        + p.events() + " events in " + p.batches() + " batches; cutoff "
        + Instant.ofEpochMilli(p.cutoffMillis()).truncatedTo(ChronoUnit.SECONDS)
        + "; last batch " + last.deliveries() + " deliveries in " + last.durationMillis() + " ms, "
        + (last.full() ? "next after a pause" : "caught up, next look after the idle timer");
  }
}
