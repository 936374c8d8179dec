package dev.herald.workflows.delivery;

/** How a delivery goes on after one attempt. */
public enum AttemptOutcome {
  /** The endpoint answered 2xx; the delivery is done. */
  SUCCEEDED,
  /** The attempt failed (status, timeout, connection…); retry on the schedule if attempts remain. */
  FAILED,
  /** The endpoint answered 410 Gone: a failure that also disables the subscription. */
  GONE,
  /**
   * The request could not be built for this event (its body template failed): nothing was sent,
   * the attempt is recorded with error {@code template}, and the delivery fails without retrying.
   */
  UNSENDABLE,
  /** The subscription is paused or disabled: nothing was sent, the delivery waits as held. */
  HELD,
  /** The delivery or its subscription no longer exists or was cancelled: nothing was sent. */
  CANCELLED,
  /**
   * Not yet: the endpoint's limits ({@code maxConcurrency}, {@code rateLimit}, a {@code
   * Retry-After} it sent) or this worker's share for one endpoint say wait. Nothing was sent, no
   * attempt is recorded or used up; the same attempt is asked again after the wait.
   */
  WAIT;

  /** Whether this outcome is a failed attempt that the schedule may retry. */
  public boolean isFailure() {
    return this == FAILED || this == GONE;
  }
}
