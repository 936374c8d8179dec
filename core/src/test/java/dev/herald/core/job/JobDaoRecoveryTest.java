package dev.herald.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.delivery.DeliveryDao;
import dev.herald.model.DeliveryStatus;
import dev.herald.model.DeliveryInput;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.tenant.TenantDao;
import dev.herald.testing.db.Store;
import dev.herald.testing.db.TestDatabaseExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** Recovery jobs against real PostgreSQL: what a job covers, its batches, and racing requests. */
@Timeout(60)
class JobDaoRecoveryTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant NOW = Instant.parse("2026-01-05T00:00:00Z");

  @RegisterExtension static final TestDatabaseExtension db = new TestDatabaseExtension();
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
  void aRecoveryCoversOnlyThisSubscriptionsFailedDeliveriesInTheWindowAndReopensThemOldestFirst() {
    Subscription s = subscription();
    Subscription other = subscription();
    // Created an hour apart from T0 on, out of publishing order.
    List<String> d = publish(s, 7);
    setFailed(d.get(0), T0.plusSeconds(3 * 3600));
    setFailed(d.get(1), T0.plusSeconds(1 * 3600));
    setFailed(d.get(2), T0.plusSeconds(2 * 3600));
    setFailed(d.get(3), T0.minusSeconds(1)); // before the window
    setFailed(d.get(4), T0.plusSeconds(10 * 3600)); // at its end: excluded
    setState(d.get(5), "succeeded", T0.plusSeconds(4 * 3600));
    setState(d.get(6), "cancelled", T0.plusSeconds(5 * 3600));
    String othersFailed = publish(other, 1).get(0);
    setFailed(othersFailed, T0.plusSeconds(3600));

    CreatedJob created =
        jobs.createRecovery(new RecoveryRequest(tenantId, s.id(), T0, T0.plusSeconds(10 * 3600)), NOW)
            .orElseThrow();

    Job job = created.job();
    assertThat(created.created()).isTrue();
    assertThat(job.id()).startsWith("job_");
    assertThat(job.type()).isEqualTo(Job.RECOVER);
    assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(job.total()).isEqualTo(3);
    assertThat(job.since()).isEqualTo(T0);
    assertThat(job.until()).isEqualTo(T0.plusSeconds(10 * 3600));
    assertThat(job.createdAt()).isEqualTo(NOW);

    RecoveryStep first = jobs.recoverBatch(job.id(), 2, NOW);
    assertThat(first.reopened()).extracting(DeliveryInput::deliveryId).containsExactly(d.get(1), d.get(2));
    assertThat(first.reopened().get(0).lastAttempt()).as("exactly one more attempt").isEqualTo(4);
    assertThat(first.job()).extracting(Job::done, Job::failed, Job::status)
        .containsExactly(2, 0, JobStatus.RUNNING);
    assertThat(statusOf(d.get(1))).isEqualTo(DeliveryStatus.PENDING);
    assertThat(statusOf(d.get(0))).isEqualTo(DeliveryStatus.FAILED);

    RecoveryStep second = jobs.recoverBatch(job.id(), 2, NOW);
    assertThat(second.reopened()).extracting(DeliveryInput::deliveryId).containsExactly(d.get(0));

    RecoveryStep last = jobs.recoverBatch(job.id(), 2, NOW.plusSeconds(2));
    assertThat(last.reopened()).isEmpty();
    assertThat(last.job()).extracting(Job::status, Job::total, Job::done, Job::failed, Job::completedAt)
        .containsExactly(JobStatus.COMPLETED, 3, 3, 0, NOW.plusSeconds(2));
    assertThat(statusOf(d.get(3))).isEqualTo(DeliveryStatus.FAILED);
    assertThat(statusOf(d.get(4))).isEqualTo(DeliveryStatus.FAILED);
    assertThat(statusOf(d.get(5))).isEqualTo(DeliveryStatus.SUCCEEDED);
    assertThat(statusOf(d.get(6))).isEqualTo(DeliveryStatus.CANCELLED);
    assertThat(statusOf(othersFailed)).isEqualTo(DeliveryStatus.FAILED);
    assertThat(jobs.find(tenantId, job.id())).contains(last.job());
  }

  @Test
  void aBatchRepeatedAfterACrashGoesOnFromTheStoredPositionAndReopensNothingTwice() {
    Subscription s = subscription();
    List<String> d = publish(s, 5);
    for (int i = 0; i < d.size(); i++) {
      setFailed(d.get(i), T0.plusSeconds(i));
    }
    Job job = newRecovery(s);

    RecoveryStep committed = jobs.recoverBatch(job.id(), 2, NOW);
    // The worker died before Temporal heard of the batch, and the reopened deliveries' one more
    // attempt failed meanwhile: they are failed again, yet behind the job's position.
    committed.reopened().forEach(p -> setFailed(p.deliveryId(), createdAt(p.deliveryId())));
    RecoveryStep retried = jobs.recoverBatch(job.id(), 2, NOW);

    assertThat(retried.reopened()).extracting(DeliveryInput::deliveryId).containsExactly(d.get(2), d.get(3));
    assertThat(retried.job()).extracting(Job::done, Job::failed).containsExactly(4, 0);
    jobs.recoverBatch(job.id(), 2, NOW);
    Job finished = jobs.recoverBatch(job.id(), 2, NOW).job();
    assertThat(finished).extracting(Job::status, Job::total, Job::done, Job::failed)
        .containsExactly(JobStatus.COMPLETED, 5, 5, 0);
    assertThat(statusOf(d.get(0))).as("not reopened a second time").isEqualTo(DeliveryStatus.FAILED);
    // A batch retried once the job finished changes nothing.
    RecoveryStep afterTheEnd = jobs.recoverBatch(job.id(), 2, NOW.plusSeconds(60));
    assertThat(afterTheEnd.reopened()).isEmpty();
    assertThat(afterTheEnd.job()).isEqualTo(finished);
  }

  @Test
  void aDeliveryNoLongerFailedWhenReachedCountsAsFailedAndALaterFailureIsNotTaken() {
    Subscription s = subscription();
    List<String> d = publish(s, 3);
    setFailed(d.get(0), T0.plusSeconds(1));
    setFailed(d.get(1), T0.plusSeconds(2));
    Job job = newRecovery(s);
    // Retried by hand before the job reached it; and a delivery that failed after the job began.
    setState(d.get(0), "succeeded", T0.plusSeconds(1));
    setFailed(d.get(2), T0.plusSeconds(3));

    RecoveryStep step = jobs.recoverBatch(job.id(), 20, NOW);

    assertThat(step.reopened()).extracting(DeliveryInput::deliveryId).containsExactly(d.get(1));
    assertThat(step.job()).extracting(Job::total, Job::done, Job::failed).containsExactly(2, 1, 1);
    assertThat(statusOf(d.get(2))).isEqualTo(DeliveryStatus.FAILED);
  }

  @Test
  void aDeletedSubscriptionFailsTheJobCountingWhatWasLeft() {
    Subscription s = subscription();
    List<String> d = publish(s, 3);
    for (int i = 0; i < d.size(); i++) {
      setFailed(d.get(i), T0.plusSeconds(i));
    }
    Job job = newRecovery(s);
    jobs.recoverBatch(job.id(), 1, NOW);
    db.jdbi().useHandle(h -> h.execute("UPDATE subscriptions SET deleted_at = now() WHERE id = ?", s.id()));

    RecoveryStep step = jobs.recoverBatch(job.id(), 1, NOW);

    assertThat(step.reopened()).isEmpty();
    assertThat(step.job()).extracting(Job::status, Job::total, Job::done, Job::failed)
        .containsExactly(JobStatus.FAILED, 3, 1, 2);
    assertThat(step.job().completedAt()).isEqualTo(NOW);
    assertThat(statusOf(d.get(1))).isEqualTo(DeliveryStatus.FAILED);
  }

  @Test
  void concurrentRequestsForTheSameWindowMakeOneJob() throws Exception {
    Subscription s = subscription();
    setFailed(publish(s, 1).get(0), T0.plusSeconds(1));
    RecoveryRequest request = new RecoveryRequest(tenantId, s.id(), T0, T0.plusSeconds(3600));

    List<CreatedJob> results = race(8, () -> jobs.createRecovery(request, store.clock.instant()).orElseThrow());

    assertThat(results.stream().map(r -> r.job().id()).distinct()).hasSize(1);
    assertThat(results).filteredOn(CreatedJob::created).hasSize(1);
    assertThat(results.get(0).job().total()).isEqualTo(1);
    assertThat(jobCount(s.id())).isEqualTo(1);
  }

  @Test
  void concurrentRequestsUntilNowFromTheSameStartMakeOneJob() throws Exception {
    Subscription s = subscription();
    RecoveryRequest untilNow = new RecoveryRequest(tenantId, s.id(), T0, null);

    List<CreatedJob> results = race(8, () -> jobs.createRecovery(untilNow, store.clock.instant()).orElseThrow());

    assertThat(results.stream().map(r -> r.job().id()).distinct()).hasSize(1);
    assertThat(jobCount(s.id())).isEqualTo(1);
  }

  @Test
  void anotherWindowOrAFinishedJobMakesANewJob() {
    Subscription s = subscription();
    Job first = newRecovery(s);
    Job otherWindow =
        jobs.createRecovery(new RecoveryRequest(tenantId, s.id(), T0.plusSeconds(1), NOW), NOW).orElseThrow().job();
    assertThat(otherWindow.id()).isNotEqualTo(first.id());
    assertThat(jobs.recoverBatch(first.id(), 20, NOW).job().status()).isEqualTo(JobStatus.COMPLETED);

    CreatedJob again = jobs.createRecovery(new RecoveryRequest(tenantId, s.id(), T0, NOW), NOW).orElseThrow();

    assertThat(again.created()).isTrue();
    assertThat(again.job().id()).isNotEqualTo(first.id());
  }

  @Test
  void anotherTenantsOrADeletedSubscriptionHasNoRecoveryAndAnotherTenantSeesNoJob() {
    Subscription s = subscription();
    Job job = newRecovery(s);
    String stranger = new TenantDao(db.jdbi(), store.ids, store.clock).create("stranger", null).id();

    assertThat(jobs.createRecovery(new RecoveryRequest(stranger, s.id(), T0, NOW), NOW)).isEmpty();
    assertThat(jobs.find(stranger, job.id())).isEmpty();
    db.jdbi().useHandle(h -> h.execute("UPDATE subscriptions SET deleted_at = now() WHERE id = ?", s.id()));
    assertThat(jobs.createRecovery(new RecoveryRequest(tenantId, s.id(), T0.plusSeconds(5), NOW), NOW)).isEmpty();
  }

  @Test
  void aRunningJobUntouchedSinceTheCutoffIsStaleAndMarkingItFailedCountsWhatWasLeft() {
    Subscription s = subscription();
    setFailed(publish(s, 1).get(0), T0.plusSeconds(1));
    Job stale = newRecovery(s);
    Job fresh =
        jobs.createRecovery(new RecoveryRequest(tenantId, s.id(), T0.plusSeconds(1), NOW), NOW.plusSeconds(100))
            .orElseThrow().job();

    assertThat(jobs.findStale(NOW.plusSeconds(50), 100)).extracting(Job::id)
        .contains(stale.id()).doesNotContain(fresh.id());
    assertThat(jobs.markFailed(stale.id(), NOW.plusSeconds(60))).isTrue();
    assertThat(jobs.markFailed(stale.id(), NOW.plusSeconds(61))).as("once").isFalse();
    assertThat(jobs.findById(stale.id()).orElseThrow())
        .extracting(Job::status, Job::total, Job::done, Job::failed, Job::completedAt)
        .containsExactly(JobStatus.FAILED, 1, 0, 1, NOW.plusSeconds(60));
    assertThat(jobs.findStale(NOW.plusSeconds(500), 100)).extracting(Job::id).doesNotContain(stale.id());
  }

  private Job newRecovery(Subscription s) {
    return jobs.createRecovery(new RecoveryRequest(tenantId, s.id(), T0, NOW), NOW).orElseThrow().job();
  }

  private <T> List<T> race(int threads, java.util.concurrent.Callable<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(pool.submit(() -> {
          go.await();
          return task.call();
        }));
      }
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(30, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private int jobCount(String subscriptionId) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM jobs WHERE subscription_id = :s")
        .bind("s", subscriptionId).mapTo(Integer.class).one());
  }

  private Subscription subscription() {
    return store.subscription(false);
  }

  private List<String> publish(Subscription s, int count) {
    List<String> out = store.publish(s, count);
    Set<String> distinct = new HashSet<>(out);
    assertThat(distinct).hasSize(count);
    return out;
  }

  private void setFailed(String deliveryId, Instant createdAt) {
    setState(deliveryId, "failed", createdAt);
  }

  private void setState(String deliveryId, String status, Instant createdAt) {
    store.setFinished(deliveryId, status, createdAt);
  }

  private Instant createdAt(String deliveryId) {
    return deliveries.findById(deliveryId).orElseThrow().createdAt();
  }

  private DeliveryStatus statusOf(String deliveryId) {
    return store.statusOf(deliveryId);
  }
}
