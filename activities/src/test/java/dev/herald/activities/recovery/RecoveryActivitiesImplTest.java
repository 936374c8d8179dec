package dev.herald.activities.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.delivery.DeliveryDao;
import dev.herald.model.DeliveryStatus;
import dev.herald.model.DeliveryInput;
import dev.herald.core.job.JobDao;
import dev.herald.core.job.RecoveryRequest;
import dev.herald.core.subscription.Subscription;
import dev.herald.testing.db.Store;
import dev.herald.testing.db.TestDatabaseExtension;
import dev.herald.workflows.recovery.RecoveryBatch;
import dev.herald.workflows.recovery.RecoveryBatchResult;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A recovery batch against real PostgreSQL, with the workflow starts recorded. */
class RecoveryActivitiesImplTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @RegisterExtension static final TestDatabaseExtension db = new TestDatabaseExtension();
  private final Clock clock = Clock.systemUTC();
  private final List<List<DeliveryInput>> launched = new CopyOnWriteArrayList<>();
  private Store store;
  private DeliveryDao deliveries;
  private JobDao jobs;
  private String tenantId;

  @BeforeEach
  void setUp() {
    store = new Store(db.get());
    deliveries = store.deliveries;
    jobs = new JobDao(db.jdbi(), deliveries, store.ids);
    tenantId = store.tenantId;
  }

  @Test
  void aBatchReopensUpToItsLimitOldestFirstStartsThemAndReportsTheJob() {
    Subscription s = subscription();
    List<String> failed = publishFailed(s, 3);
    String jobId = newJob(s);
    RecoveryActivitiesImpl activities = new RecoveryActivitiesImpl(jobs, launched::add, clock);

    RecoveryBatchResult first = activities.recoverBatch(new RecoveryBatch(jobId, 2));
    RecoveryBatchResult second = activities.recoverBatch(new RecoveryBatch(jobId, 2));
    RecoveryBatchResult last = activities.recoverBatch(new RecoveryBatch(jobId, 2));

    assertThat(first).isEqualTo(new RecoveryBatchResult("running", 3, 2, 0, 2));
    assertThat(second).isEqualTo(new RecoveryBatchResult("running", 3, 3, 0, 1));
    assertThat(last).isEqualTo(new RecoveryBatchResult("completed", 3, 3, 0, 0));
    assertThat(launched).hasSize(2);
    assertThat(launched.get(0)).extracting(DeliveryInput::deliveryId)
        .containsExactly(failed.get(0), failed.get(1));
    assertThat(launched.get(1)).extracting(DeliveryInput::deliveryId).containsExactly(failed.get(2));
  }

  @Test
  void aStartThatFailsLeavesTheDeliveryPendingForTheSweeperAndTheBatchSucceeds() {
    Subscription s = subscription();
    String failed = publishFailed(s, 1).get(0);
    String jobId = newJob(s);
    RecoveryActivitiesImpl activities =
        new RecoveryActivitiesImpl(
            jobs,
            batch -> {
              throw new IllegalStateException("Temporal is unreachable");
            },
            clock);

    RecoveryBatchResult result = activities.recoverBatch(new RecoveryBatch(jobId, 20));

    assertThat(result).isEqualTo(new RecoveryBatchResult("running", 1, 1, 0, 1));
    assertThat(deliveries.findById(failed).orElseThrow().status()).isEqualTo(DeliveryStatus.PENDING);
  }

  private String newJob(Subscription s) {
    return jobs.createRecovery(new RecoveryRequest(tenantId, s.id(), T0, clock.instant()), clock.instant())
        .orElseThrow().job().id();
  }

  private Subscription subscription() {
    return store.subscription(false);
  }

  /** Deliveries that failed, created a second apart from T0 in publishing order. */
  private List<String> publishFailed(Subscription s, int count) {
    List<String> failed = store.publish(s, count);
    for (int i = 0; i < failed.size(); i++) {
      store.setFinished(failed.get(i), "failed", T0.plusSeconds(i));
    }
    return failed;
  }
}
