package dev.herald.worker;

import dev.herald.activities.batch.BatchActivitiesImpl;
import dev.herald.activities.delivery.DeliveryActivitiesImpl;
import dev.herald.activities.delivery.GuardedDnsResolver;
import dev.herald.activities.health.CertificateExpiryNotices;
import dev.herald.activities.health.HealthActivitiesImpl;
import dev.herald.activities.health.HealthReporter;
import dev.herald.activities.http.OAuth2Tokens;
import dev.herald.activities.http.WebhookSender;
import dev.herald.activities.ordering.OrderingActivitiesImpl;
import dev.herald.activities.recovery.RecoveryActivitiesImpl;
import dev.herald.activities.release.DeliveryLauncher;
import dev.herald.activities.release.ReleaseActivitiesImpl;
import dev.herald.activities.retention.RetentionActivitiesImpl;
import dev.herald.api.HeraldContext;
import dev.herald.api.HeraldExtension;
import dev.herald.core.HeraldVersion;
import dev.herald.core.batch.BatchDao;
import dev.herald.core.batch.GatheringDao;
import dev.herald.core.flow.EndpointFlowDao;
import dev.herald.core.retention.RetentionDao;
import dev.herald.core.subscription.CertificateExpiryDao;
import dev.herald.worker.metrics.BacklogGauges;
import dev.herald.worker.retention.RetentionStarter;
import dev.herald.worker.sweeper.StrandedBatches;
import dev.herald.worker.sweeper.StrandedHolds;
import dev.herald.worker.sweeper.StrandedJobs;
import dev.herald.worker.sweeper.Sweeper;
import dev.herald.worker.sweeper.SweeperSchedule;
import dev.herald.workflows.batch.BatchDeliveryWorkflowImpl;
import dev.herald.workflows.batch.BatcherWorkflowImpl;
import dev.herald.workflows.delivery.DeliveryWorkflowImpl;
import dev.herald.workflows.health.SubscriptionHealthWorkflowImpl;
import dev.herald.workflows.ordering.OrderedDeliveryWorkflowImpl;
import dev.herald.workflows.recovery.RecoveryWorkflowImpl;
import dev.herald.workflows.release.ReleaseWorkflowImpl;
import dev.herald.workflows.retention.RetentionInput;
import dev.herald.workflows.retention.RetentionWorkflowImpl;
import dev.herald.workflows.temporal.TaskQueues;
import io.dropwizard.lifecycle.Managed;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Temporal worker of {@code herald-deliveries}, the sweeper and the start of the retention
 * workflow, in processes whose configuration enables them ({@code herald worker}, {@code herald
 * dev}).
 */
public final class WorkerExtension implements HeraldExtension {

  private static final Logger log = LoggerFactory.getLogger(WorkerExtension.class);

  /**
   * How long a stop waits for the attempts in flight: the longest HTTP deadline (30 s, name
   * lookup included) and the recording after it.
   */
  static final Duration IN_FLIGHT_GRACE = Duration.ofSeconds(35);

  /** Workflow tasks that can run beside those holding an attempt (a local activity) in flight. */
  static final int OTHER_WORKFLOW_TASKS = 100;

  @Override
  public void run(HeraldContext c) {
    var config = c.config();
    if (!config.worker.enabled) {
      return;
    }
    WebhookSender sender =
        new WebhookSender(
            new WebhookSender.Settings(
                config.delivery.maxConnections, "Herald/" + HeraldVersion.VERSION,
                new GuardedDnsResolver(c.addressGuard())));
    c.environment().lifecycle().manage(new Managed() {
      @Override
      public void stop() {
        sender.close();
      }
    });
    WorkerFactory factory = WorkerFactory.newInstance(c.temporal().client());
    Worker worker =
        factory.newWorker(
            TaskQueues.DELIVERIES,
            WorkerOptions.newBuilder()
                .setMaxConcurrentActivityExecutionSize(config.delivery.maxConcurrentAttempts)
                .setMaxConcurrentLocalActivityExecutionSize(config.delivery.maxConcurrentAttempts)
                // A delivery's attempt is a local activity, which holds its workflow task while
                // it runs: as many workflow tasks again as attempts, and room for the rest.
                .setMaxConcurrentWorkflowTaskExecutionSize(
                    config.delivery.maxConcurrentAttempts + OTHER_WORKFLOW_TASKS)
                .build());
    worker.registerWorkflowImplementationTypes(
        DeliveryWorkflowImpl.class, ReleaseWorkflowImpl.class, SubscriptionHealthWorkflowImpl.class,
        RecoveryWorkflowImpl.class, RetentionWorkflowImpl.class, OrderedDeliveryWorkflowImpl.class,
        BatcherWorkflowImpl.class, BatchDeliveryWorkflowImpl.class);
    BatchDao batches = new BatchDao(c.jdbi(), c.subscriptions());
    GatheringDao gathering = new GatheringDao(c.jdbi());
    EndpointFlowDao flow = new EndpointFlowDao(c.jdbi());
    // A freed slot goes to the delivery that waited longest: its own workflow, or its batch's.
    Consumer<String> slotFree = deliveryId -> {
      if (!c.handoff().slotFree(deliveryId)) {
        batches.batchOf(deliveryId).ifPresent(c.handoff()::batchSlotFree);
      }
    };
    worker.registerActivitiesImplementations(
        new DeliveryActivitiesImpl(c.deliveries(), sender, new OAuth2Tokens(sender, c.clock()),
            new HealthReporter(c.temporal().client()), flow, config.delivery.sharePerEndpoint(),
            slotFree, c.ids(), c.clock(), c.metrics()),
        new ReleaseActivitiesImpl(c.deliveries(), counted(c, "release"), c.handoff()::gatherNow,
            c.clock()),
        new OrderingActivitiesImpl(c.deliveries()),
        new BatchActivitiesImpl(gathering, batches, c.deliveries(), sender,
            new HealthReporter(c.temporal().client()), c.handoff()::releaseBatch, flow, slotFree,
            c.ids(), c.clock(), c.metrics()),
        new HealthActivitiesImpl(c.subscriptions(), c.notifications(), c.publisher(),
            publishing(c), c.json(), c.ids(), c.clock(), c.metrics()),
        new RecoveryActivitiesImpl(c.jobs(), counted(c, "recovery"), c.clock()),
        new RetentionActivitiesImpl(new RetentionDao(c.jdbi()),
            Duration.ofDays(config.worker.retention.days), config.worker.retention.batchSize,
            c.clock(), c.metrics()));
    c.environment().lifecycle().manage(new Managed() {
      @Override
      public void start() {
        factory.start();
      }

      // Stopped before the Temporal connection and the database (registered earlier), so that
      // the pollers end quietly and an attempt in flight records itself and reports its result.
      @Override
      public void stop() {
        factory.shutdown();
        factory.awaitTermination(IN_FLIGHT_GRACE.toSeconds(), TimeUnit.SECONDS);
        if (!factory.isTerminated()) {
          log.warn("attempts still running {} s after the stop began are abandoned; Temporal"
              + " gives them to another worker", IN_FLIGHT_GRACE.toSeconds());
          factory.shutdownNow();
          factory.awaitTermination(5, TimeUnit.SECONDS);
        }
      }
    });
    // After the worker: its start is what runs the workflow's first batch.
    c.environment().lifecycle().manage(new RetentionStarter(c.temporal().client(),
        RetentionInput.of(config.worker.retention.batchesPerSecond,
            Duration.ofMinutes(config.worker.retention.intervalMinutes).toMillis())));
    Duration grace = Duration.ofSeconds(config.worker.sweepGraceSeconds);
    Sweeper sweeper =
        new Sweeper(c.deliveries(), c.temporal().client(), c.handoff(),
            new StrandedHolds(c.deliveries(), c.handoff(), c.clock(), grace),
            new StrandedJobs(c.jobs(), c.temporal().client(), c.handoff(), c.clock(), grace),
            new StrandedBatches(gathering, batches, c.temporal().client(), c.handoff(), c.clock(),
                grace),
            new CertificateExpiryNotices(new CertificateExpiryDao(c.jdbi()), c.subscriptions(),
                c.notifications(), c.publisher(), publishing(c), c.json(), c.ids(), c.clock()),
            c.clock(), grace);
    c.environment()
        .lifecycle()
        .manage(new SweeperSchedule(sweeper, Duration.ofSeconds(config.worker.sweepIntervalSeconds),
            c.databaseOutage(), c.metrics()));
    c.environment()
        .lifecycle()
        .manage(new BacklogGauges(c.deliveries(), c.metrics().registry(),
            Duration.ofSeconds(config.telemetry.backlogRefreshSeconds)));
  }

  /** Hands off what Herald publishes itself (owners' notices): workflows and batchers. */
  private static DeliveryLauncher publishing(HeraldContext c) {
    return new DeliveryLauncher() {
      @Override
      public void launch(java.util.List<dev.herald.model.DeliveryInput> deliveries) {
        c.handoff().start(deliveries);
      }

      @Override
      public void gather(java.util.List<String> subscriptionIds) {
        c.handoff().gather(subscriptionIds);
      }
    };
  }

  /** Starts the deliveries a release or a recovery sends out again, counting them. */
  private static DeliveryLauncher counted(HeraldContext c, String by) {
    return deliveries -> {
      c.handoff().start(deliveries);
      c.metrics().reopened(by, deliveries.size());
    };
  }
}
