package dev.herald.model;

import java.util.Locale;

/**
 * What one sent attempt came to: one vocabulary for the {@code attempts.outcome} column, the API's
 * {@code attempts[].outcome}, a subscription's {@code lastDeliveryStatus}, the statistics'
 * succeeded and failed counts and the {@code outcome} label of the attempt metrics. The lower-case
 * name is the word each of them uses.
 *
 * <p>Coarser than the workflow's view of an attempt ({@code AttemptOutcome}), which also says how
 * the delivery goes on: a 410 Gone is a failure here, a held or cancelled delivery made no
 * attempt.
 */
public enum Outcome {
  SUCCEEDED,
  FAILED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The outcome a column or the API spells {@code name}; null stays null. */
  public static Outcome fromWireName(String name) {
    return name == null ? null : valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** The outcome as an SQL literal: {@code 'succeeded'}. */
  public String sql() {
    return "'" + wireName() + "'";
  }

  public boolean succeeded() {
    return this == SUCCEEDED;
  }

  /** {@link #SUCCEEDED} when {@code succeeded}, else {@link #FAILED}. */
  public static Outcome of(boolean succeeded) {
    return succeeded ? SUCCEEDED : FAILED;
  }
}
