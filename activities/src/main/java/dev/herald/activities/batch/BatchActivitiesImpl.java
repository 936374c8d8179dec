package dev.herald.activities.batch;

import static dev.herald.activities.delivery.DeliveryActivitiesImpl.TEMPLATE_ERROR;

import dev.herald.activities.delivery.DeliveryActivitiesImpl;
import dev.herald.activities.delivery.Heartbeats;
import dev.herald.activities.delivery.Verdict;
import dev.herald.activities.health.HealthReporter;
import dev.herald.activities.health.HealthTelling;
import dev.herald.activities.http.Classification;
import dev.herald.activities.http.HttpExchange;
import dev.herald.activities.http.OutcomeClassifier;
import dev.herald.activities.http.WebhookRequest;
import dev.herald.activities.http.WebhookSender;
import dev.herald.core.batch.Batch;
import dev.herald.core.batch.BatchBody;
import dev.herald.core.batch.BatchContext;
import dev.herald.core.batch.BatchDao;
import dev.herald.core.batch.BatchMember;
import dev.herald.core.batch.GatherState;
import dev.herald.core.batch.GatheringDao;
import dev.herald.core.delivery.Attempt;
import dev.herald.core.delivery.AttemptRecord;
import dev.herald.core.delivery.DeliveryDao;
import dev.herald.core.delivery.Streak;
import dev.herald.core.flow.Admission;
import dev.herald.core.flow.EndpointFlowDao;
import dev.herald.core.ids.Ids;
import dev.herald.core.metrics.HeraldMetrics;
import dev.herald.core.subscription.AttemptShape;
import dev.herald.core.subscription.Batching;
import dev.herald.core.subscription.BuiltRequest;
import dev.herald.core.subscription.EndpointAuth;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.subscription.WireFormat;
import dev.herald.core.template.TemplateException;
import dev.herald.model.DeliveryStatus;
import dev.herald.model.Outcome;
import dev.herald.workflows.batch.BatchActivities;
import dev.herald.workflows.batch.BatchAttemptRequest;
import dev.herald.workflows.batch.ClaimRequest;
import dev.herald.workflows.batch.ClaimResult;
import dev.herald.workflows.batch.GatherRequest;
import dev.herald.workflows.batch.GatherResult;
import dev.herald.workflows.delivery.AttemptOutcome;
import dev.herald.workflows.delivery.AttemptResult;
import dev.herald.workflows.schedule.RetrySchedule;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathering, claiming and attempting batches. Shared by every activity thread of a worker; holds
 * no state of its own.
 *
 * <p>An attempt of a batch is recorded on each of its deliveries with the same data. The lead
 * (the batch's first delivery) is recorded like an unbatched attempt, which also keeps the
 * subscription's record, statistics and failure streak: a batch counts as one attempt to the
 * endpoint, not one per event. Whether an attempt number is recorded is read from the lead.
 */
public final class BatchActivitiesImpl implements BatchActivities {

  private static final Logger log = LoggerFactory.getLogger(BatchActivitiesImpl.class);

  /** When a batch waiting for a slot looks again on its own; a freed slot wakes it sooner. */
  static final Duration SLOT_LOOK_AGAIN = Duration.ofSeconds(5);

  private final GatheringDao gathering;
  private final BatchDao batches;
  private final DeliveryDao deliveries;
  private final WebhookSender sender;
  private final HealthTelling health;
  private final Consumer<String> releaseBatch;
  private final EndpointFlowDao flow;
  private final Consumer<String> slotFree;
  private final Ids ids;
  private final Clock clock;
  private final HeraldMetrics metrics;

  /**
   * @param releaseBatch tells a held batch's workflow ({@code released}) that it may send
   * @param slotFree tells the delivery (or the batch of the delivery) that has waited longest for
   *     a slot of its endpoint that one is free
   */
  public BatchActivitiesImpl(
      GatheringDao gathering,
      BatchDao batches,
      DeliveryDao deliveries,
      WebhookSender sender,
      HealthReporter health,
      Consumer<String> releaseBatch,
      EndpointFlowDao flow,
      Consumer<String> slotFree,
      Ids ids,
      Clock clock,
      HeraldMetrics metrics) {
    this.gathering = gathering;
    this.batches = batches;
    this.deliveries = deliveries;
    this.sender = sender;
    this.health = new HealthTelling(health, deliveries);
    this.releaseBatch = releaseBatch;
    this.flow = flow;
    this.slotFree = slotFree;
    this.ids = ids;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public GatherResult look(GatherRequest request) {
    GatherState state = gathering.gatherState(request.subscriptionId());
    if (!state.live()) {
      return new GatherResult(false, 0, 0, 0, 0, 0, 0);
    }
    for (String held : batches.reopenHeld(request.subscriptionId(), clock.instant())) {
      releaseBatch.accept(held);
    }
    Batching b = state.batching();
    long oldest = state.oldest() == null ? 0 : state.oldest().toEpochMilli();
    return b == null
        // No longer batched: what was gathered goes at once.
        ? new GatherResult(true, state.count(), state.bytes(), oldest, Batching.MAX_EVENTS, 0,
            Batching.MAX_BYTES)
        : new GatherResult(true, state.count(), state.bytes(), oldest, b.maxEvents(),
            b.maxWaitSeconds(), b.maxBytes());
  }

  @Override
  public ClaimResult claim(ClaimRequest request) {
    Optional<Batch> batch =
        gathering.claim(request.batchId(), request.subscriptionId(), clock.instant());
    if (batch.isEmpty()) {
      return ClaimResult.none();
    }
    Optional<BatchContext> context = batches.loadForAttempt(request.batchId(), 1);
    List<Integer> schedule =
        context.map(BatchContext::subscription).map(Subscription::retrySchedule)
            .orElse(RetrySchedule.DEFAULT);
    return new ClaimResult(batch.get().eventCount(), schedule);
  }

  @Override
  public AttemptResult attempt(BatchAttemptRequest request) {
    try (Heartbeats.Beating beating = Heartbeats.start()) {
      return attemptOnce(request);
    }
  }

  private AttemptResult attemptOnce(BatchAttemptRequest request) {
    Optional<BatchContext> loaded = batches.loadForAttempt(request.batchId(), request.attemptNumber());
    if (loaded.isEmpty()) {
      return notSent(AttemptOutcome.CANCELLED, "the batch no longer exists");
    }
    BatchContext context = loaded.get();
    if (context.recorded() != null) {
      return replay(request, context);
    }
    DeliveryStatus status = context.batch().status();
    if (status == DeliveryStatus.SUCCEEDED || status == DeliveryStatus.CANCELLED) {
      return notSent(status == DeliveryStatus.SUCCEEDED ? AttemptOutcome.SUCCEEDED
          : AttemptOutcome.CANCELLED, "the batch is " + status.wireName());
    }
    Subscription subscription = context.subscription();
    if (subscription == null) {
      batches.mark(request.batchId(), DeliveryStatus.CANCELLED, clock.instant());
      return notSent(AttemptOutcome.CANCELLED, "the subscription was deleted");
    }
    if (!subscription.isDeliverable()) {
      batches.mark(request.batchId(), DeliveryStatus.HELD, clock.instant());
      return notSent(AttemptOutcome.HELD,
          subscription.isPaused() ? "the subscription is paused" : "the subscription is disabled");
    }
    Instant now = clock.instant();
    // The endpoint's limits hold a batch's request as one attempt: a Retry-After it sent,
    // maxConcurrency (a lease under the batch's id) and rateLimit, across every worker.
    Admission admission = flow.admit(subscription.id(), request.batchId(), subscription.flow(),
        subscription.timeoutSeconds(), request.reserved(), now);
    if (admission instanceof Admission.Wait wait) {
      Instant until = wait.reserved() || wait.until().isAfter(now)
          ? wait.until() : now.plus(SLOT_LOOK_AGAIN);
      batches.markWaiting(request.batchId(), wait.reason(), until, now);
      return AttemptResult.waiting(wait.reason(), Duration.between(now, until).toMillis(),
          wait.reserved());
    }
    boolean leased = ((Admission.Admitted) admission).leased();
    try {
      return send(request, context, subscription);
    } finally {
      if (leased) {
        flow.releaseAndFindWaiter(request.batchId(), subscription.id()).ifPresent(this::wake);
      }
    }
  }

  /** Tells the longest waiter for a slot that one is free; it looks again on its own otherwise. */
  private void wake(String deliveryId) {
    try {
      slotFree.accept(deliveryId);
    } catch (RuntimeException e) {
      log.debug("could not wake delivery {}: {}", deliveryId, e.toString());
    }
  }

  private AttemptResult send(
      BatchAttemptRequest request, BatchContext loaded, Subscription subscription) {
    Instant startedAt = clock.instant();
    String batchId = request.batchId();
    BatchContext context = loaded;
    BuiltRequest built = loaded.built();
    BuiltRequest keep = null;
    if (built == null) {
      WireFormat wire = subscription.wire();
      BatchBody.Rendered rendered = BatchBody.render(wire.body(), loaded.members(), subscription.id(),
          subscription.name());
      if (!rendered.unrenderable().isEmpty()) {
        unrenderable(request, subscription, rendered.unrenderable(), startedAt);
        if (rendered.sent().isEmpty()) {
          batches.mark(batchId, DeliveryStatus.FAILED, clock.instant());
          return new AttemptResult(AttemptOutcome.UNSENDABLE, null, TEMPLATE_ERROR, 0, null,
              TEMPLATE_ERROR + ": the template failed for every event of the batch");
        }
        context = loaded.withMembers(rendered.sent());
      }
      built = new BuiltRequest(wire.method(), wire.signature(), wire.headerNames(),
          wire.body().apiName(), rendered.body());
      // Kept with this attempt's record: every later attempt sends these bytes.
      keep = built;
    }
    // webhook-id is the batch's id: the same on every attempt; each event's id is in the body.
    AttemptShape shape =
        AttemptShape.of(subscription, built, batchId, BatchBody.eventTypes(context.members()),
            batchId, request.attemptNumber(), startedAt);
    Duration budget = Duration.ofSeconds(subscription.timeoutSeconds());
    HttpExchange exchange =
        sender.send(new WebhookRequest(shape.method(), URI.create(shape.url()), shape.body(),
            shape.headers().stream().map(h -> new WebhookRequest.Header(h.name(), h.value())).toList(),
            budget,
            subscription.auth() instanceof EndpointAuth.MutualTls mtls ? mtls : null));
    Classification c =
        OutcomeClassifier.classify(exchange, clock.instant(),
            subscription.auth() instanceof EndpointAuth.MutualTls);
    Verdict verdict = Verdict.of(c, request.retryDelaySeconds());
    AttemptOutcome outcome = verdict.outcome();
    Integer nextDelay = verdict.nextDelaySeconds();
    DeliveryStatus status = verdict.status();
    Instant finishedAt = startedAt.plusMillis(exchange.durationMs());
    Instant next = nextDelay == null ? null : finishedAt.plusSeconds(nextDelay);
    if (c.retryAfterSeconds() != null) {
      // A 429 or 503 with Retry-After holds the endpoint's other requests too, batched or not.
      flow.backOff(subscription.id(), finishedAt.plusSeconds(
          Math.min(c.retryAfterSeconds(), DeliveryActivitiesImpl.MAX_ENDPOINT_BACKOFF_SECONDS)));
    }
    Attempt lead =
        new Attempt(ids.next("att"), context.lead().deliveryId(), request.attemptNumber(),
            startedAt, exchange.durationMs(), exchange.statusCode(),
            storable(exchange.responseBody()), c.errorCode(),
            verdict.recorded());
    List<String> otherIds = new ArrayList<>();
    for (int i = 1; i < context.members().size(); i++) {
      otherIds.add(ids.next("att"));
    }
    // The members first, the lead last: the lead's row is what says the attempt is recorded.
    batches.recordOnMembers(context, lead, otherIds, status, next, keep);
    Optional<Streak> streak =
        deliveries.recordAttempt(new AttemptRecord(lead, status, next, subscription.id()));
    if (streak.isPresent()) {
      metrics.attempted(lead.outcome(), lead.error(), lead.statusCode(),
          Duration.ofMillis(lead.durationMs()));
      health.recorded(context.batch().tenantId(), subscription, lead, streak.get());
    } else {
      health.replayed(context.batch().tenantId(), subscription, lead);
    }
    String described = describe(exchange.statusCode(), c.errorCode(), exchange.durationMs());
    return new AttemptResult(outcome, exchange.statusCode(), c.errorCode(), exchange.durationMs(),
        nextDelay, described + " (" + context.members().size() + " events)");
  }

  /**
   * Members whose element the subscription's template could not make: as for an unbatched
   * delivery, nothing is sent for them; each gets an attempt with error {@code template} and the
   * template's message, fails at once (every retry would fail the same way), and is taken out of
   * the batch, whose other events go on. The endpoint's health is not the question.
   */
  private void unrenderable(
      BatchAttemptRequest request, Subscription subscription,
      Map<BatchMember, TemplateException> failed, Instant startedAt) {
    long durationMs = Duration.between(startedAt, clock.instant()).toMillis();
    List<String> taken = new ArrayList<>();
    for (Map.Entry<BatchMember, TemplateException> f : failed.entrySet()) {
      Attempt attempt =
          new Attempt(ids.next("att"), f.getKey().deliveryId(), request.attemptNumber(), startedAt,
              durationMs, null, storable(f.getValue().getMessage()), TEMPLATE_ERROR, Outcome.FAILED);
      if (deliveries.recordAttempt(new AttemptRecord(
              attempt, DeliveryStatus.FAILED, null, subscription.id(), false))
          .isPresent()) {
        metrics.attempted(attempt.outcome(), attempt.error(), null, Duration.ofMillis(durationMs));
      }
      taken.add(f.getKey().deliveryId());
    }
    // Recorded first: a crash before this leaves them failed members, which the next try of the
    // attempt fails again (a no-op) and takes out.
    batches.detach(request.batchId(), taken, clock.instant());
  }

  /** An attempt recorded before: answered as recorded, nothing sent, the members made whole. */
  private AttemptResult replay(BatchAttemptRequest request, BatchContext context) {
    Attempt a = context.recorded();
    boolean succeeded = a.outcome().succeeded();
    DeliveryStatus status;
    Integer nextDelay = null;
    if (succeeded) {
      status = DeliveryStatus.SUCCEEDED;
    } else if (request.retryDelaySeconds() != null) {
      status = DeliveryStatus.RETRYING;
      nextDelay = request.retryDelaySeconds();
    } else {
      status = DeliveryStatus.FAILED;
    }
    List<String> otherIds = new ArrayList<>();
    for (int i = 1; i < context.members().size(); i++) {
      otherIds.add(ids.next("att"));
    }
    Instant next = nextDelay == null ? null : clock.instant().plusSeconds(nextDelay);
    batches.recordOnMembers(context, a, otherIds, status, next, null);
    return new AttemptResult(Verdict.ofRecorded(a), a.statusCode(), a.error(), a.durationMs(),
        nextDelay,
        describe(a.statusCode(), a.error(), a.durationMs()));
  }

  private static AttemptResult notSent(AttemptOutcome outcome, String why) {
    return new AttemptResult(outcome, null, null, 0, null, "not sent: " + why);
  }

  private static String storable(String body) {
    return Verdict.storable(body);
  }

  private static String describe(Integer statusCode, String error, long durationMs) {
    return Verdict.describe(statusCode, error, durationMs);
  }
}
