package dev.herald.worker.sweeper;

import dev.herald.activities.health.CertificateExpiryNotices;
import dev.herald.api.temporal.Handoff;
import dev.herald.core.delivery.DeliveryDao;
import dev.herald.model.DeliveryInput;
import dev.herald.model.DeliveryStatus;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nothing accepted is lost: finds unfinished deliveries that should have moved on by now and asks
 * Temporal about their workflow. A missing workflow (the API died after committing; the in-memory
 * Temporal of {@code herald dev} was restarted) is started again and goes on from the attempts
 * already recorded; a workflow an operator terminated leaves its delivery cancelled, never
 * restarted. A healthy delivery is never overdue, so it costs the sweeper nothing. Held
 * deliveries of a deliverable subscription that waited past the grace period get their release
 * started again ({@link StrandedHolds}), and so do running jobs whose workflow is gone ({@link
 * StrandedJobs}) and batched deliveries and batches nothing moves on ({@link StrandedBatches}).
 * Owners of mutual-TLS certificates about to expire are told ({@link CertificateExpiryNotices}).
 * Ordered deliveries wait their turn behind their key's current one, for as long as it takes:
 * they are never overdue one by one; a key whose next delivery stopped moving has its sequencer
 * woken ({@link StalledKeys}).
 */
public final class Sweeper {

  private static final Logger log = LoggerFactory.getLogger(Sweeper.class);

  /** What the sweeper did with one delivery. */
  public enum Action { LEFT_RUNNING, RESTARTED, CANCELLED, FAILED }

  /** Subscriptions whose release one pass restarts at most. */
  static final int RELEASES_PER_PASS = 50;

  /** Stale running jobs one pass reconciles at most. */
  static final int JOBS_PER_PASS = 50;

  /** Ordered keys whose sequencer one pass wakes at most. */
  static final int KEYS_PER_PASS = 50;
  /** Batchers to wake and batches to reconcile, each, in one pass at most. */
  static final int BATCHES_PER_PASS = 50;

  /** Expiring client certificates one pass tells owners about at most. */
  static final int CERTIFICATES_PER_PASS = 50;

  private final DeliveryDao deliveries;
  private final Handoff handoff;
  private final Clock clock;
  private final Duration grace;
  private final StrandedHolds strandedHolds;
  private final StrandedJobs strandedJobs;
  private final StalledKeys stalledKeys;
  private final StrandedBatches strandedBatches;
  private final CertificateExpiryNotices certificates;
  private final WorkflowStatuses workflows;

  public Sweeper(
      DeliveryDao deliveries,
      WorkflowClient client,
      Handoff handoff,
      StrandedHolds strandedHolds,
      StrandedJobs strandedJobs,
      StrandedBatches strandedBatches,
      CertificateExpiryNotices certificates,
      Clock clock,
      Duration grace) {
    this.strandedBatches = strandedBatches;
    this.deliveries = deliveries;
    this.certificates = certificates;
    this.handoff = handoff;
    this.strandedHolds = strandedHolds;
    this.strandedJobs = strandedJobs;
    this.stalledKeys = new StalledKeys(deliveries, handoff, clock, grace);
    this.workflows = new WorkflowStatuses(client);
    this.clock = clock;
    this.grace = grace;
  }

  /** Deliveries reconciled at once: each costs a describe and maybe a start, round trips to Temporal. */
  static final int IN_FLIGHT = 16;

  private static final ExecutorService RECONCILERS =
      Executors.newFixedThreadPool(IN_FLIGHT, runnable -> {
        Thread thread = new Thread(runnable, "herald-sweeper-reconcile");
        thread.setDaemon(true);
        return thread;
      });

  /** What one pass did: how many overdue deliveries it found, and how many it restarted. */
  public record Pass(int overdue, int restarted) {}

  /**
   * One pass over at most {@code limit} overdue deliveries, {@value #IN_FLIGHT} at a time (a
   * stranded backlog of thousands after a crash is worked off in seconds, not minutes).
   */
  public Pass sweep(int limit) {
    List<DeliveryInput> overdue = deliveries.findOverdue(clock.instant().minus(grace), limit);
    AtomicInteger restarted = new AtomicInteger();
    List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Future<?>> done = new ArrayList<>();
    for (DeliveryInput p : overdue) {
      done.add(RECONCILERS.submit(() -> {
        try {
          Action action = reconcile(p);
          if (action == Action.RESTARTED) {
            restarted.incrementAndGet();
          }
          if (action == Action.RESTARTED || action == Action.LEFT_RUNNING) {
            seen.add(p.deliveryId());
          }
        } catch (RuntimeException e) {
          log.warn("could not reconcile delivery {}: {}", p.deliveryId(), e.toString());
        }
      }));
    }
    for (Future<?> f : done) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException e) {
        log.warn("could not reconcile a delivery: {}", e.getCause().toString());
      }
    }
    // Looked after: not overdue again for a grace period, so the next pass reaches the ones
    // behind them instead of asking about these again.
    deliveries.markSwept(seen, clock.instant());
    try {
      strandedHolds.release(RELEASES_PER_PASS);
    } catch (RuntimeException e) {
      log.warn("could not look for stranded held deliveries: {}", e.toString());
    }
    try {
      stalledKeys.wake(KEYS_PER_PASS);
    } catch (RuntimeException e) {
      log.warn("could not look for stalled ordered keys: {}", e.toString());
    }
    try {
      strandedJobs.restart(JOBS_PER_PASS);
    } catch (RuntimeException e) {
      log.warn("could not look for stranded jobs: {}", e.toString());
    }
    try {
      strandedBatches.sweep(BATCHES_PER_PASS);
    } catch (RuntimeException e) {
      log.warn("could not look for stranded batches: {}", e.toString());
    }
    try {
      certificates.notifyExpiring(CERTIFICATES_PER_PASS);
    } catch (RuntimeException e) {
      log.warn("could not look for expiring client certificates: {}", e.toString());
    }
    return new Pass(overdue.size(), restarted.get());
  }

  Action reconcile(DeliveryInput p) {
    WorkflowExecutionStatus status = workflows.of("delivery-" + p.deliveryId());
    switch (status) {
      case WORKFLOW_EXECUTION_STATUS_RUNNING:
        return Action.LEFT_RUNNING;
      case WORKFLOW_EXECUTION_STATUS_TERMINATED:
      case WORKFLOW_EXECUTION_STATUS_CANCELED:
        if (deliveries.markUnfinished(p.deliveryId(), DeliveryStatus.CANCELLED, clock.instant())) {
          log.info("delivery {} cancelled: its workflow was {}", p.deliveryId(), status);
        }
        return Action.CANCELLED;
      default:
        if (p.attemptsMade() >= p.maxAttempts()) {
          // Every attempt was recorded before the workflow was lost: nothing is left to send.
          deliveries.markUnfinished(p.deliveryId(), DeliveryStatus.FAILED, clock.instant());
          log.info("delivery {} failed: its workflow was lost after its last attempt", p.deliveryId());
          return Action.FAILED;
        }
        // Missing (never started, or lost with an in-memory server), timed out, or closed before
        // its record caught up: go on from the attempts already recorded.
        handoff.startNow(p);
        log.debug("delivery {} restarted at attempt {} (workflow {})", p.deliveryId(),
            p.firstAttempt(), describe(status));
        return Action.RESTARTED;
    }
  }

  private static String describe(WorkflowExecutionStatus status) {
    return status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED
        ? "missing"
        : status.name().substring("WORKFLOW_EXECUTION_STATUS_".length()).toLowerCase();
  }
}
