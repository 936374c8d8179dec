package dev.herald.core.flow;

import java.time.Instant;

/** Whether an attempt may start now, and if not, until when it waits and why. */
public sealed interface Admission {

  /**
   * Go: the attempt may start now.
   *
   * @param leased whether a lease counts it against {@code maxConcurrency} (to release after)
   */
  record Admitted(boolean leased) implements Admission {}

  /**
   * Wait, without an attempt and without using one of the schedule's attempts.
   *
   * @param until when to ask again (or, when {@code reserved}, when to go)
   * @param reason a short line for the delivery's details and the Temporal UI
   * @param reserved whether a start at {@code until} is promised by the rate limit, so that the
   *     attempt then goes without asking the rate limit again
   */
  record Wait(Instant until, String reason, boolean reserved) implements Admission {}
}
