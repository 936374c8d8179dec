package dev.herald.worker.sweeper;

import dev.herald.api.temporal.Handoff;
import dev.herald.core.batch.BatchDao;
import dev.herald.core.batch.BatchStart;
import dev.herald.core.batch.GatheringDao;
import dev.herald.model.DeliveryStatus;
import dev.herald.workflows.batch.BatchInput;
import dev.herald.workflows.batch.BatchWorkflows;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batched deliveries have no workflow of their own; this is the sweeper's part for them. A
 * subscription whose deliveries were gathered past its {@code maxWaitSeconds} and the grace
 * period has its batcher woken (the publish's wake was lost, or the batcher with it: a
 * signal-with-start starts a new one, which finds everything in PostgreSQL). A batch whose
 * workflow should have moved it on and is not running is started again from its recorded
 * attempts, or failed when none is left; a held batch of a deliverable subscription is told.
 */
public final class StrandedBatches {

  private static final Logger log = LoggerFactory.getLogger(StrandedBatches.class);

  private final GatheringDao gathering;
  private final BatchDao batches;
  private final Handoff handoff;
  private final WorkflowStatuses workflows;
  private final Clock clock;
  private final Duration grace;

  public StrandedBatches(
      GatheringDao gathering, BatchDao batches, WorkflowClient client, Handoff handoff, Clock clock,
      Duration grace) {
    this.gathering = gathering;
    this.batches = batches;
    this.handoff = handoff;
    this.workflows = new WorkflowStatuses(client);
    this.clock = clock;
    this.grace = grace;
  }

  /** One pass over at most {@code limit} subscriptions and {@code limit} batches. */
  public void sweep(int limit) {
    List<String> stranded =
        gathering.findStrandedGathering(clock.instant(), (int) grace.toSeconds(), limit);
    for (String subscriptionId : stranded) {
      handoff.gatherNow(subscriptionId);
    }
    if (!stranded.isEmpty()) {
      log.info("woke the batchers of {} subscriptions with deliveries gathered too long",
          stranded.size());
    }
    List<String> seen = new ArrayList<>();
    for (BatchStart start : batches.findOverdue(clock.instant().minus(grace), limit)) {
      try {
        reconcile(start);
        seen.add(start.batch().id());
      } catch (RuntimeException e) {
        log.warn("could not reconcile batch {}: {}", start.batch().id(), e.toString());
      }
    }
    batches.markSwept(seen, clock.instant());
  }

  private void reconcile(BatchStart start) {
    String batchId = start.batch().id();
    WorkflowExecutionStatus status = workflows.of(BatchWorkflows.batchId(batchId));
    if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      if (start.batch().status() == DeliveryStatus.HELD) {
        handoff.releaseBatch(batchId);
      }
      return;
    }
    int made = start.batch().attemptCount();
    if (made >= start.retrySchedule().size() + 1) {
      batches.mark(batchId, DeliveryStatus.FAILED, clock.instant());
      log.info("batch {} failed: its workflow was lost after its last attempt", batchId);
      return;
    }
    handoff.startBatchNow(
        new BatchInput(batchId, start.batch().subscriptionId(), start.retrySchedule(), made + 1));
    log.info("batch {} restarted at attempt {}", batchId, made + 1);
  }
}
