package dev.herald.api.temporal;

import dev.herald.core.event.PublishResult;
import dev.herald.core.job.Job;
import dev.herald.model.DeliveryInput;
import dev.herald.workflows.batch.BatchInput;
import io.dropwizard.lifecycle.Managed;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where what PostgreSQL has committed is handed to Temporal: the workflow starts
 * and signals that follow a publish, a test event, a one-off delivery, a retry, a cancel, an
 * unpause or re-enable (release), a recovery job, the health workflow's notices and the sweeper.
 * A batched subscription's deliveries have no workflow of their own: the publish wakes the
 * subscription's batcher instead ({@link #gather}).
 *
 * <p>The rule every caller follows: <em>commit first, then hand off</em>. A handoff never throws
 * for Temporal and may be lost (a crash between the commit and the handoff, a Temporal outage): the
 * record in PostgreSQL is what counts, and the sweeper hands off again what Temporal did not take
 * (a pending delivery without a running workflow, held deliveries of a deliverable subscription
 * without a release, a running job without its workflow), each after its grace period.
 *
 * <p>Delivery starts ({@link #start}) run concurrently, off the caller's thread: a publish is
 * answered once its rows are committed, not after one start per delivery. The pool's queue is
 * bounded; when it is full the caller starts its own deliveries, which slows publishers down
 * rather than holding an unbounded backlog in memory. Once a start finds Temporal unreachable,
 * starts are put off for {@value #UNREACHABLE_SECONDS} s, so that an outage costs one failed start
 * per thread, not one per delivery. A start that ran out of time while Temporal answered another
 * start in the last {@value #SLOW_WINDOW_SECONDS} s is a slow server, not an outage: that start
 * alone is tried again after {@value #SLOW_RETRY_MILLIS} ms, and the others go on (one slow answer
 * on a busy machine used to hold every start for 5 s). A start put off is tried again when its
 * time is up, up to {@value #TRIES} times (about a minute) and at most {@value #QUEUE} at once.
 * What is still not started after that, or when the process stops, is the sweeper's. A lost call
 * to a Temporal that is up therefore costs seconds, not the sweeper's grace period, and does not
 * wait for a worker (the sweeper runs in the worker).
 *
 * <p>An ordered delivery ({@link DeliveryInput#ordered()}) is never started on its own: its key's
 * sequencer is started or woken instead (signal-with-start, once per key of a batch), and runs the
 * key's deliveries one at a time in feed-position order. The sweeper wakes the sequencer of a key
 * whose next delivery has waited past its grace period.
 */
public final class Handoff implements Managed {

  private static final Logger log = LoggerFactory.getLogger(Handoff.class);

  static final int UNREACHABLE_SECONDS = 5;
  static final int SLOW_WINDOW_SECONDS = 4;
  static final long SLOW_RETRY_MILLIS = 1000;
  static final int TRIES = 12;
  private static final int QUEUE = 10_000;
  private static final Duration DRAIN = Duration.ofSeconds(10);

  private final DeliveryStarter deliveries;
  private final DeliverySignals signals;
  private final ReleaseStarter releases;
  private final RecoveryStarter recoveries;
  private final HealthSignals health;
  private final SequencerStarter sequencers;
  private final BatchStarter batches;
  private final Clock clock;
  private final ThreadPoolExecutor starts;
  private final ScheduledExecutorService later;
  private final ScheduledExecutorService deadlines;
  private final AtomicReference<Instant> unreachableUntil = new AtomicReference<>(Instant.MIN);
  private final AtomicReference<Instant> lastAnswered = new AtomicReference<>(Instant.MIN);
  private final AtomicInteger putOff = new AtomicInteger();
  private final AtomicInteger leftToSweeper = new AtomicInteger();

  /**
   * A handoff whose delivery starts and other calls share one client.
   *
   * @see #Handoff(WorkflowClient, WorkflowClient, int, int, int, Clock)
   */
  public Handoff(
      WorkflowClient client,
      int startThreads,
      int releaseRatePerSecond,
      int recoveryRatePerSecond,
      Clock clock) {
    this(client, client, startThreads, releaseRatePerSecond, recoveryRatePerSecond, clock);
  }

  /**
   * @param client for the signals and the other starts: one that gives up on an unreachable
   *     Temporal within seconds ({@link TemporalConnection#requestClient()})
   * @param startClient for delivery starts: the client this process's worker was made with
   *     ({@link TemporalConnection#client()}), so that a start hands the workflow's first task
   *     straight to that worker; each start is bounded by {@link TemporalConnection#REQUEST_RETRY}
   * @param startThreads delivery starts in flight at once
   * @param releaseRatePerSecond held deliveries a release reopens per second
   * @param recoveryRatePerSecond failed deliveries a recovery job reopens per second
   */
  public Handoff(
      WorkflowClient client,
      WorkflowClient startClient,
      int startThreads,
      int releaseRatePerSecond,
      int recoveryRatePerSecond,
      Clock clock) {
    this.later = daemonScheduler("herald-handoff-later");
    this.deadlines = daemonScheduler("herald-handoff-deadlines");
    this.deliveries = new DeliveryStarter(startClient, TemporalConnection.REQUEST_RETRY, deadlines);
    this.signals = new DeliverySignals(client);
    this.releases = new ReleaseStarter(client, releaseRatePerSecond);
    this.recoveries = new RecoveryStarter(client, recoveryRatePerSecond);
    this.health = new HealthSignals(client);
    this.sequencers = new SequencerStarter(client);
    this.batches = new BatchStarter(client);
    this.clock = clock;
    AtomicInteger n = new AtomicInteger();
    this.starts =
        new ThreadPoolExecutor(
            startThreads, startThreads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
            r -> {
              Thread t = new Thread(r, "herald-handoff-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.CallerRunsPolicy());
    starts.allowCoreThreadTimeOut(true);
  }

  /**
   * Starts the workflows of committed pending deliveries, concurrently and off the caller's
   * thread (on it when the queue is full); for ordered ones, wakes each key's sequencer once. A
   * delivery whose start fails stays pending for the sweeper.
   */
  public void start(List<DeliveryInput> committed) {
    Set<KeyToWake> keys = new LinkedHashSet<>();
    for (DeliveryInput input : committed) {
      if (input.ordered()) {
        keys.add(new KeyToWake(input.tenantId(), input.subscriptionId(), input.orderingKey()));
      } else {
        submit(new Start(input.deliveryId(), () -> deliveries.start(input), 1));
      }
    }
    for (KeyToWake k : keys) {
      submit(new Start("the ordered key of " + k.subscriptionId(),
          () -> sequencers.wake(k.tenantId(), k.subscriptionId(), k.key()), 1));
    }
  }

  private record KeyToWake(String tenantId, String subscriptionId, String key) {}

  /** One start or wake to hand to Temporal, and which try this is. */
  private record Start(String what, Runnable call, int tryNumber) {
    Start next() {
      return new Start(what, call, tryNumber + 1);
    }
  }

  private void submit(Start start) {
    starts.execute(() -> startOrPutOff(start));
  }

  private void startOrPutOff(Start start) {
    if (clock.instant().isBefore(unreachableUntil.get())) {
      putOff(start, 100);
      return;
    }
    try {
      start.call().run();
      lastAnswered.set(clock.instant());
    } catch (RuntimeException e) {
      if (!DeliveryStarter.unreachable(e)) {
        leftToSweeper.incrementAndGet();
        log.warn("could not start the workflow of {}; the sweeper will: {}", start.what(),
            DeliveryStarter.reason(e));
      } else if (DeliveryStarter.outOfTime(e)
          && lastAnswered.get().isAfter(clock.instant().minusSeconds(SLOW_WINDOW_SECONDS))) {
        log.debug("the start of {} ran out of time while Temporal answers others; trying it again"
            + " in {} ms", start.what(), SLOW_RETRY_MILLIS);
        putOff(start, SLOW_RETRY_MILLIS);
      } else {
        Instant until = clock.instant().plusSeconds(UNREACHABLE_SECONDS);
        if (unreachableUntil.getAndSet(until).isBefore(clock.instant())) {
          log.warn("Temporal is unreachable: starts are put off for {} s ({}: {})",
              UNREACHABLE_SECONDS, start.what(), DeliveryStarter.reason(e));
        }
        putOff(start, 100);
      }
    }
  }

  /**
   * Tries the start again once Temporal's unreachable time is up, and not before {@code
   * atLeastMillis}, or leaves it to the sweeper when it has had its tries, too many are waiting,
   * or the process is stopping.
   */
  private void putOff(Start start, long atLeastMillis) {
    if (start.tryNumber() >= TRIES || putOff.incrementAndGet() > QUEUE) {
      if (start.tryNumber() < TRIES) {
        putOff.decrementAndGet();
      }
      leftToSweeper.incrementAndGet();
      return;
    }
    Instant now = clock.instant();
    Instant until = unreachableUntil.get();
    long wait = until.isAfter(now)
        ? Math.max(atLeastMillis, Duration.between(now, until).toMillis() + 50)
        : atLeastMillis;
    try {
      later.schedule(() -> {
        putOff.decrementAndGet();
        try {
          submit(start.next());
        } catch (RejectedExecutionException stopping) {
          leftToSweeper.incrementAndGet();
        }
      }, wait, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopping) {
      putOff.decrementAndGet();
      leftToSweeper.incrementAndGet();
    }
  }

  /**
   * Hands off what a publish committed: starts the workflows of its pending deliveries and wakes
   * the batchers of the batched subscriptions it made deliveries for.
   */
  public void start(PublishResult published) {
    start(published.toStart());
    gather(published.toGather());
  }

  /**
   * Wakes the batchers of these subscriptions, which have committed batched deliveries to gather,
   * off the caller's thread like {@link #start}. A wake that fails is the sweeper's: it wakes the
   * batcher of deliveries gathered past their subscription's {@code maxWaitSeconds}.
   */
  public void gather(List<String> subscriptionIds) {
    for (String subscriptionId : subscriptionIds.stream().distinct().toList()) {
      submit(new Start("the batcher of " + subscriptionId, () -> batches.wake(subscriptionId), 1));
    }
  }


  /**
   * Wakes one subscription's batcher on the caller's thread: the sweeper's and the release's.
   * Throws when Temporal refuses or cannot be reached.
   */
  public void gatherNow(String subscriptionId) {
    batches.wake(subscriptionId);
  }

  /**
   * Starts a batch's workflow on the caller's thread, going on from the attempts already
   * recorded: the sweeper's restart. Throws when Temporal refuses or cannot be reached.
   *
   * @return true when a workflow was started, false when one was already running
   */
  public boolean startBatchNow(BatchInput input) {
    return batches.start(input);
  }

  /** Tells a held batch's workflow that its subscription is deliverable again; false when not running. */
  public boolean releaseBatch(String batchId) {
    try {
      return batches.released(batchId);
    } catch (RuntimeException e) {
      log.warn("could not tell batch {} it is released; it looks again on its own: {}", batchId,
          DeliveryStarter.reason(e));
      return false;
    }
  }

  /**
   * Starts one delivery's workflow on the caller's thread, going on from the attempts already
   * recorded: the sweeper's restart. Throws when Temporal refuses or cannot be reached.
   *
   * @return true when a workflow was started, false when one was already running
   */
  public boolean startNow(DeliveryInput input) {
    if (input.ordered()) {
      sequencers.wake(input.tenantId(), input.subscriptionId(), input.orderingKey());
      return true;
    }
    return deliveries.start(input);
  }

  /**
   * Starts or wakes the sequencer of an ordered key on the caller's thread: the sweeper's, for a
   * key whose next delivery waited past its grace period. Throws when Temporal refuses or cannot
   * be reached.
   */
  public void wakeOrdered(String tenantId, String subscriptionId, String key) {
    sequencers.wake(tenantId, subscriptionId, key);
  }

  /**
   * Sends {@code retryNow} to a batch's workflow; false when it is not running (the sweeper
   * restarts an overdue batch).
   */
  public boolean retryBatchNow(String batchId) {
    return batches.retryNow(batchId);
  }

  /** Sends {@code retryNow} to a delivery's workflow; false when it is not running. */
  public boolean retryNow(String deliveryId) {
    return signals.retryNow(deliveryId);
  }

  /** Sends {@code slotFree} to a batch's workflow; false when it is not running. */
  public boolean batchSlotFree(String batchId) {
    return batches.slotFree(batchId);
  }

  /** Sends {@code slotFree} to a delivery's workflow; false when it is not running. */
  public boolean slotFree(String deliveryId) {
    return signals.slotFree(deliveryId);
  }

  /** Sends {@code cancel} to a delivery's workflow; false when it is not running. */
  public boolean cancel(String deliveryId) {
    return signals.cancel(deliveryId);
  }

  /** Sends {@code cancel} to these deliveries' workflows, one after another off the caller's thread. */
  public void cancelInBackground(List<String> deliveryIds) {
    signals.cancelInBackground(deliveryIds);
  }

  /**
   * Starts the release of a subscription's held deliveries, or tells the running one to look
   * again.
   *
   * @return true when Temporal took the request
   */
  public boolean release(String subscriptionId) {
    return releases.release(subscriptionId);
  }

  /**
   * Starts a committed recovery job's workflow.
   *
   * @return true when Temporal runs it (started now or already running)
   */
  public boolean recover(Job job) {
    return recoveries.start(job);
  }

  /** Tells a subscription's health workflow to count from zero (it was re-enabled). */
  public void resetHealth(String subscriptionId, String reason) {
    health.reset(subscriptionId, reason);
  }

  /**
   * Starts and wakes this process gave up on since it began (Temporal unreachable through all
   * their tries, refused, or the process stopped first): the sweeper's to hand off again.
   */
  public int leftToSweeper() {
    return leftToSweeper.get();
  }

  /** Starts and wakes waiting to be tried again once Temporal's unreachable time is up. */
  public int putOff() {
    return putOff.get();
  }

  /**
   * Lets queued starts finish for a few seconds, then leaves the rest, and those put off, to the
   * sweeper (their deliveries are committed and pending).
   */
  @Override
  public void stop() throws InterruptedException {
    int waiting = later.shutdownNow().size();
    putOff.addAndGet(-waiting);
    leftToSweeper.addAndGet(waiting);
    starts.shutdown();
    int left = waiting;
    if (!starts.awaitTermination(DRAIN.toSeconds(), TimeUnit.SECONDS)) {
      int queued = starts.shutdownNow().size();
      leftToSweeper.addAndGet(queued);
      left += queued;
    }
    if (left > 0) {
      log.warn("{} workflow starts were still waiting at shutdown; the sweeper will make them", left);
    }
    deadlines.shutdownNow();
    signals.stop();
  }

  private static ScheduledExecutorService daemonScheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }
}
