package dev.herald.activities.recovery;

import dev.herald.core.crypto.SecretCipher;
import dev.herald.core.crypto.SecretKeyRing;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.delivery.DeliveryDao;
import dev.herald.core.delivery.DeliveryStatus;
import dev.herald.core.delivery.PendingDelivery;
import dev.herald.core.event.EventDao;
import dev.herald.core.event.EventPublisher;
import dev.herald.core.event.EventRequest;
import dev.herald.core.ids.Ids;
import dev.herald.core.job.JobDao;
import dev.herald.core.job.RecoveryRequest;
import dev.herald.core.signing.WebhookSigner;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.subscription.SubscriptionDao;
import dev.herald.core.tenant.TenantDao;
import dev.herald.testing.db.TestDatabase;
import dev.herald.workflows.recovery.RecoveryBatch;
import dev.herald.workflows.recovery.RecoveryBatchResult;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A recovery batch against real PostgreSQL, with the workflow starts recorded. */
class RecoveryActivitiesImplTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static TestDatabase db;
  private final ObjectMapper json = new ObjectMapper();
  private final Clock clock = Clock.systemUTC();
  private final Ids ids = new Ids(clock);
  private final List<List<PendingDelivery>> launched = new CopyOnWriteArrayList<>();
  private SubscriptionDao subscriptions;
  private DeliveryDao deliveries;
  private EventPublisher publisher;
  private JobDao jobs;
  private String tenantId;

  @BeforeAll
  static void database() {
    db = TestDatabase.create();
  }

  @AfterAll
  static void dropDatabase() {
    db.close();
  }

  @BeforeEach
  void setUp() {
    subscriptions = new SubscriptionDao(db.jdbi(), json, new SecretCipher(SecretKeyRing.generate()));
    deliveries = new DeliveryDao(db.jdbi(), subscriptions);
    publisher =
        new EventPublisher(db.jdbi(), new EventDao(db.jdbi(), json), subscriptions, deliveries,
            json, ids, clock);
    jobs = new JobDao(db.jdbi(), deliveries, ids);
    tenantId = new TenantDao(db.jdbi(), ids, clock).create("acme", null).id();
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
    assertThat(launched.get(0)).extracting(PendingDelivery::deliveryId)
        .containsExactly(failed.get(0), failed.get(1));
    assertThat(launched.get(1)).extracting(PendingDelivery::deliveryId).containsExactly(failed.get(2));
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
    Instant now = clock.instant();
    String id = ids.next("sub");
    Subscription s =
        new Subscription(id, tenantId, "listener", "https://hooks.example.com/h",
            List.of("order." + id), Map.of(), Map.of(), List.of(5, 300), 5, 20, 86400,
            WebhookSigner.newSecret(), null, null, true, false, null, null, 0, null, null, now, now);
    subscriptions.insert(s);
    return s;
  }

  /** {@code count} deliveries that ran out of attempts, created a second apart from T0. */
  private List<String> publishFailed(Subscription s, int count) {
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String eventId =
          publisher
              .publish(tenantId, new EventRequest(null, "order." + s.id(), json.createObjectNode(), Map.of()))
              .event()
              .id();
      String deliveryId = deliveries.listForEvent(tenantId, eventId).get(0).id();
      db.jdbi().useHandle(h -> h.execute(
          "UPDATE deliveries SET status = 'failed', attempt_count = 3, created_at = ?,"
              + " completed_at = now() WHERE id = ?",
          Timestamp.from(T0.plusSeconds(failed.size())), deliveryId));
      failed.add(deliveryId);
    }
    return failed;
  }
}
