package dev.herald.worker.sweeper;

import dev.herald.api.temporal.Handoff;
import dev.herald.core.delivery.DeliveryDao;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Held deliveries that nothing is releasing: their subscription is deliverable, yet they have
 * waited untouched past the grace period (the release was never started because Temporal was
 * down, or was lost with the in-memory Temporal of {@code herald dev}, or a delivery was held
 * just as a release ended). Each such subscription's release is started again; one that is
 * still running is only told to look again, which costs it nothing but a signal.
 */
public final class StrandedHolds {

  private static final Logger log = LoggerFactory.getLogger(StrandedHolds.class);

  private final DeliveryDao deliveries;
  private final Handoff handoff;
  private final Clock clock;
  private final Duration grace;

  public StrandedHolds(DeliveryDao deliveries, Handoff handoff, Clock clock, Duration grace) {
    this.deliveries = deliveries;
    this.handoff = handoff;
    this.clock = clock;
    this.grace = grace;
  }

  /** Releases the held deliveries of at most {@code limit} subscriptions; returns how many. */
  public int release(int limit) {
    List<String> stranded = deliveries.findStrandedHolds(clock.instant().minus(grace), limit);
    int released = 0;
    for (String subscriptionId : stranded) {
      if (handoff.release(subscriptionId)) {
        released++;
      }
    }
    if (released > 0) {
      log.info("asked for the release of held deliveries of {} subscriptions", released);
    }
    return released;
  }
}
