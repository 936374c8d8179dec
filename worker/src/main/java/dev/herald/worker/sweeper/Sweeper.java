package dev.herald.worker.sweeper;

import dev.herald.activities.health.CertificateExpiryNotices;
import dev.herald.api.temporal.DeliveryStarter;
import dev.herald.core.delivery.DeliveryDao;
import dev.herald.core.delivery.DeliveryStatus;
import dev.herald.core.delivery.PendingDelivery;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
 * StrandedJobs}). Owners of mutual-TLS certificates about to expire are told ({@link
 * CertificateExpiryNotices}).
 */
public final class Sweeper {

  private static final Logger log = LoggerFactory.getLogger(Sweeper.class);

  /** What the sweeper did with one delivery. */
  public enum Action { LEFT_RUNNING, RESTARTED, CANCELLED, FAILED }

  /** Subscriptions whose release one pass restarts at most. */
  static final int RELEASES_PER_PASS = 50;

  /** Stale running jobs one pass reconciles at most. */
  static final int JOBS_PER_PASS = 50;

  /** Expiring client certificates one pass tells owners about at most. */
  static final int CERTIFICATES_PER_PASS = 50;

  private final DeliveryDao deliveries;
  private final DeliveryStarter starter;
  private final Clock clock;
  private final Duration grace;
  private final StrandedHolds strandedHolds;
  private final StrandedJobs strandedJobs;
  private final CertificateExpiryNotices certificates;
  private final WorkflowStatuses workflows;

  public Sweeper(
      DeliveryDao deliveries,
      WorkflowClient client,
      DeliveryStarter starter,
      StrandedHolds strandedHolds,
      StrandedJobs strandedJobs,
      CertificateExpiryNotices certificates,
      Clock clock,
      Duration grace) {
    this.deliveries = deliveries;
    this.certificates = certificates;
    this.starter = starter;
    this.strandedHolds = strandedHolds;
    this.strandedJobs = strandedJobs;
    this.workflows = new WorkflowStatuses(client);
    this.clock = clock;
    this.grace = grace;
  }

  /** One pass over at most {@code limit} overdue deliveries; returns how many were restarted. */
  public int sweep(int limit) {
    List<PendingDelivery> overdue = deliveries.findOverdue(clock.instant().minus(grace), limit);
    int restarted = 0;
    for (PendingDelivery p : overdue) {
      try {
        if (reconcile(p) == Action.RESTARTED) {
          restarted++;
        }
      } catch (RuntimeException e) {
        log.warn("could not reconcile delivery {}: {}", p.deliveryId(), e.toString());
      }
    }
    try {
      strandedHolds.release(RELEASES_PER_PASS);
    } catch (RuntimeException e) {
      log.warn("could not look for stranded held deliveries: {}", e.toString());
    }
    try {
      strandedJobs.restart(JOBS_PER_PASS);
    } catch (RuntimeException e) {
      log.warn("could not look for stranded jobs: {}", e.toString());
    }
    try {
      certificates.notifyExpiring(CERTIFICATES_PER_PASS);
    } catch (RuntimeException e) {
      log.warn("could not look for expiring client certificates: {}", e.toString());
    }
    return restarted;
  }

  Action reconcile(PendingDelivery p) {
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
        if (p.attemptCount() >= p.maxAttempts()) {
          // Every attempt was recorded before the workflow was lost: nothing is left to send.
          deliveries.markUnfinished(p.deliveryId(), DeliveryStatus.FAILED, clock.instant());
          log.info("delivery {} failed: its workflow was lost after its last attempt", p.deliveryId());
          return Action.FAILED;
        }
        // Missing (never started, or lost with an in-memory server), timed out, or closed before
        // its record caught up: go on from the attempts already recorded.
        starter.start(p);
        log.info("delivery {} restarted at attempt {} (workflow {})", p.deliveryId(),
            p.attemptCount() + 1, describe(status));
        return Action.RESTARTED;
    }
  }

  private static String describe(WorkflowExecutionStatus status) {
    return status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED
        ? "missing"
        : status.name().substring("WORKFLOW_EXECUTION_STATUS_".length()).toLowerCase();
  }
}
