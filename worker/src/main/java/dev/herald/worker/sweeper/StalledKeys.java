package dev.herald.worker.sweeper;

import dev.herald.api.temporal.Handoff;
import dev.herald.core.delivery.DeliveryDao;
import dev.herald.core.delivery.OrderedKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ordered keys that stopped moving: the key's next delivery is pending and untouched, or
 * retrying past its next attempt, for longer than the grace period. Its sequencer was never
 * started (the API died between the commit and the handoff) or was lost with its Temporal server.
 * Each such key's sequencer is started again, or, if it runs, woken, which costs it a signal and
 * a look. The deliveries behind a key's next one wait their turn and are never overdue.
 *
 * <p>Passes go round the keys: each continues after the last key the previous one looked at, so
 * that a pass limited to a few keys reaches them all in turn.
 */
public final class StalledKeys {

  private static final Logger log = LoggerFactory.getLogger(StalledKeys.class);

  private final DeliveryDao deliveries;
  private final Handoff handoff;
  private final Clock clock;
  private final Duration grace;
  private OrderedKey after;

  public StalledKeys(DeliveryDao deliveries, Handoff handoff, Clock clock, Duration grace) {
    this.deliveries = deliveries;
    this.handoff = handoff;
    this.clock = clock;
    this.grace = grace;
  }

  /** Wakes the sequencers of at most {@code limit} stalled keys; returns how many. */
  public synchronized int wake(int limit) {
    List<OrderedKey> stalled =
        deliveries.findStalledKeys(clock.instant().minus(grace), after, limit);
    if (stalled.size() < limit && after != null) {
      // Round again from the first key.
      after = null;
    }
    List<String> heads = new ArrayList<>();
    int woken = 0;
    for (OrderedKey k : stalled) {
      after = k;
      try {
        handoff.wakeOrdered(k.tenantId(), k.subscriptionId(), k.key());
        heads.add(k.headDeliveryId());
        woken++;
      } catch (RuntimeException e) {
        log.warn("could not wake the sequencer of an ordered key of {}: {}", k.subscriptionId(),
            e.toString());
      }
    }
    // Looked after: not stalled again before another grace period.
    deliveries.markSwept(heads, clock.instant());
    if (woken > 0) {
      log.info("woke the sequencers of {} ordered keys whose next delivery waited", woken);
    }
    return woken;
  }
}
