package dev.herald.core.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.delivery.Attempt;
import dev.herald.core.event.PublishResult;
import dev.herald.core.signing.SignatureScheme;
import dev.herald.core.subscription.Batching;
import dev.herald.core.subscription.BuiltRequest;
import dev.herald.core.subscription.HeraldHeaderNames;
import dev.herald.core.subscription.Subscription;
import dev.herald.model.DeliveryStatus;
import dev.herald.model.Outcome;
import dev.herald.testing.db.Store;
import dev.herald.testing.db.TestDatabaseExtension;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** Gathering, claiming and recording batches, against real PostgreSQL. */
@Timeout(60)
class BatchDaoTest {

  @RegisterExtension static final TestDatabaseExtension db = new TestDatabaseExtension();
  private Store store;
  private BatchDao batches;
  private GatheringDao gathering;

  @BeforeEach
  void setUp() {
    store = new Store(db.get());
    batches = new BatchDao(db.jdbi(), store.subscriptions);
    gathering = new GatheringDao(db.jdbi());
  }

  @Test
  void aBatchedSubscriptionsDeliveriesAreGatheredNotStarted() {
    Subscription s = batched(new Batching(3, 10, 1024));
    List<String> ids = store.publish(s, 2);

    PublishResult again = store.publisher.publishTest(s);
    assertThat(again.toStart()).isEmpty();
    assertThat(again.toGather()).containsExactly(s.id());
    GatherState state = gathering.gatherState(s.id());
    assertThat(state.live()).isTrue();
    assertThat(state.batching()).isEqualTo(new Batching(3, 10, 1024));
    assertThat(state.count()).isEqualTo(3);
    assertThat(state.oldest()).isNotNull();
    assertThat(store.deliveries.findPending(ids.get(0)))
        .as("no workflow of its own to restart").isEmpty();
  }

  @Test
  void aClaimTakesTheOldestWithinTheLimitsAndIsIdempotentOnItsId() {
    Subscription s = batched(new Batching(3, 10, 1_048_576));
    List<String> ids = store.publish(s, 5);

    Batch first = gathering.claim("bat_one", s.id(), Instant.now()).orElseThrow();
    assertThat(first.eventCount()).isEqualTo(3);
    assertThat(gathering.claim("bat_one", s.id(), Instant.now())).contains(first);
    BatchContext context = batches.loadForAttempt("bat_one", 1).orElseThrow();
    assertThat(context.members()).extracting(BatchMember::deliveryId)
        .containsExactlyElementsOf(ids.subList(0, 3));
    assertThat(gathering.gatherState(s.id()).count()).isEqualTo(2);

    Batch second = gathering.claim("bat_two", s.id(), Instant.now()).orElseThrow();
    assertThat(second.eventCount()).isEqualTo(2);
    assertThat(gathering.claim("bat_three", s.id(), Instant.now())).isEmpty();
    assertThat(batches.batchOf(ids.get(4))).contains("bat_two");
  }

  @Test
  void aClaimStopsAtMaxBytesButTakesAtLeastOne() {
    Subscription s = batched(new Batching(100, 10, 1024));
    store.publish(s, 20);
    int size = db.jdbi().withHandle(h -> h.createQuery("SELECT max(octet_length(e.payload))"
            + " FROM events e JOIN deliveries d ON d.event_id = e.id AND d.tenant_id = e.tenant_id"
            + " WHERE d.subscription_id = :s")
        .bind("s", s.id())
        .mapTo(Integer.class)
        .one());
    Batch batch = gathering.claim("bat_bytes", s.id(), Instant.now()).orElseThrow();
    assertThat(batch.bodyBytes()).isLessThanOrEqualTo(1024);
    assertThat(batch.bodyBytes()).as("the next one would not have fitted").isGreaterThan(1024 - size);
    assertThat(batch.eventCount()).isGreaterThan(1).isLessThan(20);
  }

  @Test
  void aPausedSubscriptionsGatheredDeliveriesAreHeldInsteadOfClaimed() {
    Subscription s = batched(new Batching(3, 10, 1024));
    List<String> ids = store.publish(s, 2);
    store.setPaused(s, true);

    assertThat(gathering.claim("bat_paused", s.id(), Instant.now())).isEmpty();
    assertThat(ids).allSatisfy(id -> assertThat(store.statusOf(id)).isEqualTo(DeliveryStatus.HELD));
    store.setPaused(s, false);
    assertThat(store.deliveries.releaseHeld(s.id(), 10, Instant.now()))
        .satisfies(r -> {
          assertThat(r.released()).as("no workflows to start").isEmpty();
          assertThat(r.gathered()).isEqualTo(2);
          assertThat(r.batched()).isTrue();
        });
    assertThat(gathering.gatherState(s.id()).count()).isEqualTo(2);
  }

  @Test
  void anAttemptIsRecordedOnEveryMemberWithTheSameData() {
    List<String> ids = claimed("bat_rec", 3);
    BatchContext context = batches.loadForAttempt("bat_rec", 1).orElseThrow();
    Instant at = Instant.now();
    Attempt lead = new Attempt("att_lead", ids.get(0), 1, at, 12, 503, "busy", null, Outcome.FAILED);

    batches.recordOnMembers(context, lead, List.of("att_m2", "att_m3"), DeliveryStatus.RETRYING,
        at.plusSeconds(5), null);
    batches.recordOnMembers(context, lead, List.of("att_x2", "att_x3"), DeliveryStatus.RETRYING,
        at.plusSeconds(5), null);

    for (String id : ids.subList(1, 3)) {
      List<Attempt> attempts = store.deliveries.attempts(id);
      assertThat(attempts).hasSize(1);
      assertThat(attempts.get(0).statusCode()).isEqualTo(503);
      assertThat(attempts.get(0).responseBody()).isEqualTo("busy");
      assertThat(store.statusOf(id)).isEqualTo(DeliveryStatus.RETRYING);
    }
    Batch batch = batches.find("bat_rec").orElseThrow();
    assertThat(batch.status()).isEqualTo(DeliveryStatus.RETRYING);
    assertThat(batch.attemptCount()).isEqualTo(1);
  }

  @Test
  void theFirstAttemptKeepsItsRequestAndEveryLaterAttemptReadsItBack() {
    List<String> ids = claimed("bat_kept", 2);
    BatchContext first = batches.loadForAttempt("bat_kept", 1).orElseThrow();
    assertThat(first.built()).as("nothing built before the first attempt").isNull();
    Instant at = Instant.now();
    Attempt lead = new Attempt("att_k1", ids.get(0), 1, at, 10, 503, "busy", null, Outcome.FAILED);
    BuiltRequest templated = request("PUT", "template", "{\"isBatched\":true,\"events\":[1,2]}");

    batches.recordOnMembers(first, lead, List.of("att_k2"), DeliveryStatus.RETRYING,
        at.plusSeconds(5), templated);
    // A replay of the same attempt that built otherwise (the template changed meanwhile).
    batches.recordOnMembers(first, lead, List.of("att_k3"), DeliveryStatus.RETRYING,
        at.plusSeconds(5), request("POST", "data", "{\"isBatched\":true,\"events\":[{},{}]}"));

    BuiltRequest kept = batches.loadForAttempt("bat_kept", 2).orElseThrow().built();
    assertThat(kept).isEqualTo(templated);
    assertThat(new String(kept.body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"isBatched\":true,\"events\":[1,2]}");
  }

  @Test
  void aStandardBodyIsNotStoredTwiceAndIsReadBackFromTheEnvelopes() {
    List<String> ids = claimed("bat_std", 2);
    BatchContext first = batches.loadForAttempt("bat_std", 1).orElseThrow();
    BuiltRequest standard =
        request("POST", "standard", new String(BatchBody.standard(first.members()), StandardCharsets.UTF_8));
    Instant at = Instant.now();
    batches.recordOnMembers(first, new Attempt("att_s1", ids.get(0), 1, at, 10, 500, "", null,
        Outcome.FAILED), List.of("att_s2"), DeliveryStatus.RETRYING, at.plusSeconds(5), standard);

    assertThat(batches.loadForAttempt("bat_std", 2).orElseThrow().built()).isEqualTo(standard);
    boolean envelopesOnly = db.jdbi().withHandle(h -> h.createQuery(
            "SELECT request_body IS NULL AND request_body_format = 'standard' FROM batches"
                + " WHERE id = 'bat_std'").mapTo(Boolean.class).one());
    assertThat(envelopesOnly).as("the body is not stored a second time").isTrue();
  }

  @Test
  void aDeliveryTakenOutOfABatchNoLongerSharesItsAttemptsOrCount() {
    Subscription s = batched(new Batching(3, 10, 1_048_576));
    List<String> ids = store.publish(s, 3);
    Batch claimed = gathering.claim("bat_out", s.id(), Instant.now()).orElseThrow();
    store.setFinished(ids.get(1), "failed", Instant.now());

    batches.detach("bat_out", List.of(ids.get(1)), Instant.now());

    BatchContext context = batches.loadForAttempt("bat_out", 1).orElseThrow();
    assertThat(context.members()).extracting(BatchMember::deliveryId)
        .containsExactly(ids.get(0), ids.get(2));
    Batch after = batches.find("bat_out").orElseThrow();
    assertThat(after.eventCount()).isEqualTo(2);
    assertThat(after.bodyBytes()).isLessThan(claimed.bodyBytes());
    assertThat(batches.placeOf(ids.get(1))).as("no longer batched").isEmpty();
    assertThat(gathering.gatherState(s.id()).count()).as("a failed delivery is not gathered again")
        .isZero();
  }

  @Test
  void theBodyIsEachStoredEnvelopeInOrder() {
    Subscription s = batched(new Batching(3, 10, 1_048_576));
    store.publish(s, 2);
    gathering.claim("bat_body", s.id(), Instant.now()).orElseThrow();
    BatchContext context = batches.loadForAttempt("bat_body", 1).orElseThrow();
    String body = new String(BatchBody.standard(context.members()), StandardCharsets.UTF_8);
    assertThat(body).isEqualTo("{\"isBatched\":true,\"events\":[" + context.members().get(0).payload()
        + "," + context.members().get(1).payload() + "]}");
  }

  @Test
  void deliveriesGatheredPastMaxWaitAreFoundForTheSweeper() {
    Subscription s = batched(new Batching(3, 10, 1024));
    List<String> ids = store.publish(s, 1);
    assertThat(gathering.findStrandedGathering(Instant.now(), 2, 10)).doesNotContain(s.id());
    store.setCreatedAt(ids.get(0), Instant.now().minusSeconds(13));
    assertThat(gathering.findStrandedGathering(Instant.now(), 2, 10)).contains(s.id());
  }

  @Test
  void retentionRemovesAFinishedBatchWithItsLastDelivery() {
    Subscription s = batched(new Batching(3, 10, 1_048_576));
    List<String> ids = store.publish(s, 2);
    gathering.claim("bat_old", s.id(), Instant.now()).orElseThrow();
    gathering.claim("bat_kept", s.id(), Instant.now());
    Instant longAgo = Instant.now().minus(java.time.Duration.ofDays(40));
    ids.forEach(id -> store.setFinished(id, "succeeded", longAgo));
    store.execute("UPDATE batches SET status = 'succeeded', completed_at = ? WHERE id = ?",
        java.sql.Timestamp.from(longAgo.plusSeconds(60)), "bat_old");

    new dev.herald.core.retention.RetentionDao(db.jdbi())
        .purgeBatch(Instant.now().minus(java.time.Duration.ofDays(30)), 1000);

    assertThat(batches.find("bat_old")).isEmpty();
    assertThat(store.deliveries.findById(ids.get(0))).isEmpty();
  }

  /** The ids of {@code count} deliveries of a new batched subscription, claimed as {@code batchId}. */
  private List<String> claimed(String batchId, int count) {
    Subscription s = batched(new Batching(3, 10, 1_048_576));
    List<String> ids = store.publish(s, count);
    gathering.claim(batchId, s.id(), Instant.now()).orElseThrow();
    return ids;
  }

  private static BuiltRequest request(String method, String format, String body) {
    return new BuiltRequest(method, new SignatureScheme.StandardWebhooks(), HeraldHeaderNames.DEFAULT,
        format, body.getBytes(StandardCharsets.UTF_8));
  }

  private Subscription batched(Batching batching) {
    Subscription plain = store.subscription(false);
    store.execute("UPDATE subscriptions SET batch_max_events = ?, batch_max_wait_seconds = ?,"
            + " batch_max_bytes = ? WHERE id = ?", batching.maxEvents(), batching.maxWaitSeconds(),
        batching.maxBytes(), plain.id());
    Optional<Subscription> stored = store.subscriptions.findLive(plain.id());
    assertThat(stored.orElseThrow().batch()).isEqualTo(batching);
    return stored.get();
  }
}
