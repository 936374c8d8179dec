package dev.herald.activities.delivery;

import dev.herald.core.delivery.AttemptContext;
import dev.herald.core.delivery.DeliveryDao;
import dev.herald.core.flow.Admission;
import dev.herald.core.flow.EndpointFlowDao;
import dev.herald.core.subscription.Subscription;
import dev.herald.workflows.delivery.AttemptRequest;
import dev.herald.workflows.delivery.AttemptResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets an attempt through to its endpoint, or tells it to wait, before anything is sent:
 *
 * <ol>
 *   <li>a {@code Retry-After} the endpoint sent with a 429 or 503 holds every attempt to it;
 *   <li>this worker lets at most {@code sharePerEndpoint} attempts to one endpoint run at once, so
 *       that an endpoint that hangs for its whole timeout holds a bounded part of the worker's
 *       activity slots and other endpoints' attempts never queue behind it;
 *   <li>the subscription's own {@code maxConcurrency} and {@code rateLimit}, held in PostgreSQL
 *       across every worker ({@link EndpointFlowDao}).
 * </ol>
 *
 * A wait is written on the delivery (why, until when), so that its details show it.
 */
final class EndpointGate {

  private static final Logger log = LoggerFactory.getLogger(EndpointGate.class);

  /** At most this much random delay spreads out the deliveries a {@code Retry-After} held. */
  private static final Duration BACKOFF_SPREAD = Duration.ofSeconds(5);

  private final EndpointFlowDao flow;
  private final DeliveryDao deliveries;
  private final int sharePerEndpoint;
  private final Clock clock;
  private final ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  /** Per endpoint: attempts this worker told to wait for its share, not yet followed by a wake. */
  private final ConcurrentHashMap<String, AtomicInteger> toldToWait = new ConcurrentHashMap<>();
  /** Per endpoint: when this worker last told an attempt to wait for its share ({@code nanoTime}). */
  private final ConcurrentHashMap<String, AtomicLong> lastToldNanos = new ConcurrentHashMap<>();

  /**
   * How long after it last told an attempt to wait for its share this worker looks for a waiter
   * whenever its last attempt to that endpoint leaves, whatever its count says: a waiter looks
   * again on its own within a minute at the latest.
   */
  static final Duration RECENTLY_TOLD = Duration.ofMinutes(1);

  /**
   * When an attempt waiting for a slot (this worker's share, or {@code maxConcurrency}) looks
   * again on its own at the soonest: a freed slot wakes the longest waiter at once, so the looks
   * are a fallback, and thousands of waiters behind a hanging endpoint must not flood the task
   * queue with them (the workflow doubles the wait from here to a minute).
   */
  static final Duration SLOT_LOOK_AGAIN = Duration.ofSeconds(5);

  /** How the reason of a wait for this worker's share begins. */
  static final String SHARE_REASON = "this worker's share for one endpoint: ";
  private final Consumer<String> wake;

  /**
   * @param wake tells a delivery's workflow to ask for its slot again now ({@code slotFree}): a
   *     slot freed goes to the delivery that has waited longest, not to its next look
   */
  EndpointGate(EndpointFlowDao flow, DeliveryDao deliveries, int sharePerEndpoint,
      Consumer<String> wake, Clock clock) {
    this.wake = wake;
    if (sharePerEndpoint < 1) {
      throw new IllegalArgumentException("sharePerEndpoint must be at least 1");
    }
    this.flow = flow;
    this.deliveries = deliveries;
    this.sharePerEndpoint = sharePerEndpoint;
    this.clock = clock;
  }

  /** Through the gate: close it when the attempt is recorded, to free its place. */
  interface Passage extends AutoCloseable {
    @Override
    void close();
  }

  /** Either a passage, or the wait to answer the workflow with. */
  record Entry(Passage passage, AttemptResult waiting) {}

  Entry enter(AttemptContext context, AttemptRequest request) {
    Subscription s = context.subscription();
    String deliveryId = context.delivery().id();
    Instant now = clock.instant();
    Instant backoff = context.endpointBackoffUntil();
    if (backoff != null && backoff.isAfter(now)) {
      return waiting(deliveryId, EndpointFlowDao.backoffReason(backoff), spread(backoff, now), false, now);
    }
    AtomicInteger mine = inFlight.computeIfAbsent(s.id(), id -> new AtomicInteger());
    if (mine.incrementAndGet() > sharePerEndpoint) {
      mine.decrementAndGet();
      // Marked waiting before it is counted, so that a place freed from here on finds it; a
      // place freed before it was counted is taken back to wake the longest waiter (perhaps
      // this one: a wake that arrives with the answer still cuts the wait).
      Entry wait = waiting(deliveryId, SHARE_REASON + sharePerEndpoint + " attempts in flight",
          now.plus(SLOT_LOOK_AGAIN), false, now);
      AtomicInteger told = toldToWait.computeIfAbsent(s.id(), id -> new AtomicInteger());
      lastToldNanos.computeIfAbsent(s.id(), id -> new AtomicLong()).set(System.nanoTime());
      told.incrementAndGet();
      if (mine.get() < sharePerEndpoint) {
        wakeLongestWaiter(s, "", told);
      }
      return wait;
    }
    if (!s.flow().isLimited()) {
      return new Entry(() -> leave(s, deliveryId, mine), null);
    }
    Admission admission;
    try {
      admission = flow.admit(s.id(), deliveryId, s.flow(), s.timeoutSeconds(), request.reserved(), now);
    } catch (RuntimeException e) {
      leave(s, deliveryId, mine);
      throw e;
    }
    if (admission instanceof Admission.Wait wait) {
      leave(s, deliveryId, mine);
      // A wait for a slot is ended by a wake when one frees; its own look comes later.
      Instant until = wait.reserved() || wait.until().isAfter(now) ? wait.until() : now.plus(SLOT_LOOK_AGAIN);
      return waiting(deliveryId, wait.reason(), until, wait.reserved(), now);
    }
    boolean leased = ((Admission.Admitted) admission).leased();
    return new Entry(() -> {
      try {
        if (leased) {
          flow.releaseAndFindWaiter(deliveryId, s.id()).ifPresent(this::wakeQuietly);
        }
      } finally {
        leave(s, deliveryId, mine);
      }
    }, null);
  }

  private void wakeQuietly(String deliveryId) {
    try {
      wake.accept(deliveryId);
    } catch (RuntimeException e) {
      // It looks again on its own, at its next poll.
      log.debug("could not wake delivery {}: {}", deliveryId, e.toString());
    }
  }

  /** The endpoint answered 429 or 503 with {@code Retry-After}: hold all its attempts until then. */
  void backOff(String subscriptionId, Instant until) {
    flow.backOff(subscriptionId, until);
  }

  /** Attempts to the subscription's endpoint in flight on this worker now. */
  int inFlightHere(String subscriptionId) {
    AtomicInteger n = inFlight.get(subscriptionId);
    return n == null ? 0 : n.get();
  }

  /**
   * Frees this worker's place for the endpoint; when this worker told attempts to wait for one,
   * the one that has waited longest is woken. Counters stay in the maps (one per endpoint this
   * worker has called), so none is lost in a race.
   *
   * <p>When this was the worker's last attempt to the endpoint in flight and it told an attempt
   * to wait in the last {@link #RECENTLY_TOLD}, it looks for a waiter even when its count says
   * none: a count that missed one (a claim skips a waiter's row while another transaction holds
   * it) would leave that waiter to its own look, seconds later, with the endpoint free. In a
   * burst that is the end of the burst: one query more per burst, none per attempt otherwise.
   */
  private void leave(Subscription s, String deliveryId, AtomicInteger mine) {
    int inFlight = mine.decrementAndGet();
    AtomicInteger told = toldToWait.get(s.id());
    if (told != null && !wakeLongestWaiter(s, deliveryId, told) && inFlight == 0
        && toldRecently(s.id())) {
      claimAndWake(s, deliveryId);
    }
  }

  /**
   * When attempts were told to wait for this worker's share, wakes the longest waiter.
   *
   * @return whether one was woken
   */
  private boolean wakeLongestWaiter(Subscription s, String deliveryId, AtomicInteger told) {
    return told.getAndUpdate(n -> Math.max(0, n - 1)) > 0 && claimAndWake(s, deliveryId);
  }

  /** Claims the longest waiter for this worker's share and wakes it; false when none was found. */
  private boolean claimAndWake(Subscription s, String deliveryId) {
    try {
      Optional<String> waiter = flow.findWaiter(deliveryId, s.id(), SHARE_REASON);
      waiter.ifPresent(this::wakeQuietly);
      return waiter.isPresent();
    } catch (RuntimeException e) {
      log.debug("could not look for a delivery waiting on {}: {}", s.id(), e.toString());
      return false;
    }
  }

  private boolean toldRecently(String subscriptionId) {
    AtomicLong at = lastToldNanos.get(subscriptionId);
    return at != null && System.nanoTime() - at.get() < RECENTLY_TOLD.toNanos();
  }

  private Entry waiting(String deliveryId, String reason, Instant until, boolean reserved, Instant now) {
    deliveries.markWaiting(deliveryId, reason, until, now);
    return new Entry(null,
        AttemptResult.waiting(reason, Duration.between(now, until).toMillis(), reserved));
  }

  /** {@code until}, plus up to a tenth of the wait (at most 5 s) at random. */
  private static Instant spread(Instant until, Instant now) {
    long spread = Math.min(BACKOFF_SPREAD.toMillis(), Duration.between(now, until).toMillis() / 10);
    return until.plusMillis(spread <= 0 ? 0 : ThreadLocalRandom.current().nextLong(spread + 1));
  }
}
