package dev.herald.activities.delivery;

import dev.herald.activities.health.HealthReporter;
import dev.herald.activities.health.HealthTelling;
import dev.herald.activities.http.Classification;
import dev.herald.activities.http.HttpExchange;
import dev.herald.activities.http.OAuth2Tokens;
import dev.herald.activities.http.OutcomeClassifier;
import dev.herald.activities.http.WebhookRequest.Header;
import dev.herald.activities.http.WebhookRequest;
import dev.herald.activities.http.WebhookSender;
import dev.herald.core.delivery.Attempt;
import dev.herald.core.delivery.AttemptContext;
import dev.herald.core.delivery.AttemptRecord;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryDao;
import dev.herald.core.delivery.Streak;
import dev.herald.core.flow.EndpointFlowDao;
import dev.herald.core.ids.Ids;
import dev.herald.core.metrics.HeraldMetrics;
import dev.herald.core.subscription.AttemptShape;
import dev.herald.core.subscription.BuiltRequest;
import dev.herald.core.subscription.EndpointAuth.OAuth2ClientCredentials;
import dev.herald.core.subscription.EndpointAuth;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.template.TemplateException;
import dev.herald.core.template.TemplateInput;
import dev.herald.model.DeliveryStatus;
import dev.herald.model.Outcome;
import dev.herald.workflows.delivery.AttemptOutcome;
import dev.herald.workflows.delivery.AttemptRequest;
import dev.herald.workflows.delivery.AttemptResult;
import dev.herald.workflows.delivery.CancelRequest;
import dev.herald.workflows.delivery.DeliveryActivities;
import dev.herald.workflows.schedule.RetrySchedule;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a delivery: load, check, sign, POST, record, classify. Shared by every activity
 * thread of a worker; holds no state of its own.
 */
public final class DeliveryActivitiesImpl implements DeliveryActivities {

  private static final Logger log = LoggerFactory.getLogger(DeliveryActivitiesImpl.class);

  /**
   * The longest an endpoint's {@code Retry-After} holds its other deliveries: an hour. The
   * delivery that got it waits as long as it asks, up to a day, on its own schedule.
   */
  public static final int MAX_ENDPOINT_BACKOFF_SECONDS = 3600;

  /** The error of an attempt whose body template failed for its event. */
  public static final String TEMPLATE_ERROR = "template";

  private final DeliveryDao deliveries;
  private final WebhookSender sender;
  private final OAuth2Tokens tokens;
  private final HealthTelling health;
  private final Ids ids;
  private final Clock clock;
  private final EndpointGate gate;
  private final HeraldMetrics metrics;

  /**
   * @param flow the endpoints' limits and {@code Retry-After}s, shared by every worker
   * @param sharePerEndpoint attempts to one endpoint this worker runs at once, at most
   * @param wake sends {@code slotFree} to a delivery's workflow: one waiting for a slot is told
   *     when one frees
   */
  public DeliveryActivitiesImpl(
      DeliveryDao deliveries,
      WebhookSender sender,
      OAuth2Tokens tokens,
      HealthReporter health,
      EndpointFlowDao flow,
      int sharePerEndpoint,
      Consumer<String> wake,
      Ids ids,
      Clock clock,
      HeraldMetrics metrics) {
    this.gate = new EndpointGate(flow, deliveries, sharePerEndpoint, wake, clock);
    this.metrics = metrics;
    this.deliveries = deliveries;
    this.sender = sender;
    this.tokens = tokens;
    this.health = new HealthTelling(health, deliveries);
    this.ids = ids;
    this.clock = clock;
  }

  @Override
  public AttemptResult attempt(AttemptRequest request) {
    try (Heartbeats.Beating beating = Heartbeats.start()) {
      return attemptOnce(request);
    }
  }

  private AttemptResult attemptOnce(AttemptRequest request) {
    Optional<AttemptContext> loaded =
        deliveries.loadForAttempt(request.deliveryId(), request.attemptNumber());
    if (loaded.isEmpty()) {
      return notSent(AttemptOutcome.CANCELLED, "the delivery no longer exists");
    }
    if (loaded.get().recorded() != null) {
      return replay(request, loaded.get());
    }
    Delivery delivery = loaded.get().delivery();
    Subscription subscription = loaded.get().subscription();
    if (delivery.status() == DeliveryStatus.CANCELLED) {
      return notSent(AttemptOutcome.CANCELLED, "the delivery was cancelled");
    }
    if (delivery.status() == DeliveryStatus.SUCCEEDED) {
      return notSent(AttemptOutcome.SUCCEEDED, "the delivery already succeeded");
    }
    if (subscription == null) {
      deliveries.markUnfinished(delivery.id(), DeliveryStatus.CANCELLED, clock.instant());
      return notSent(AttemptOutcome.CANCELLED, "the subscription was deleted");
    }
    if (!subscription.isDeliverable()) {
      deliveries.markUnfinished(delivery.id(), DeliveryStatus.HELD, clock.instant());
      return notSent(AttemptOutcome.HELD,
          subscription.isPaused() ? "the subscription is paused" : "the subscription is disabled");
    }
    EndpointGate.Entry entry = gate.enter(loaded.get(), request);
    if (entry.waiting() != null) {
      return entry.waiting();
    }
    try (EndpointGate.Passage passage = entry.passage()) {
      return buildAndSend(request, loaded.get(), delivery, subscription);
    }
  }

  private AttemptResult buildAndSend(
      AttemptRequest request, AttemptContext context, Delivery delivery, Subscription subscription) {
    Instant startedAt = clock.instant();
    BuiltRequest built = context.built();
    if (built == null) {
      AttemptContext c = context;
      try {
        built =
            BuiltRequest.build(
                subscription.wire(),
                new TemplateInput(c.payload(), c.attributes(), subscription.id(), subscription.name()));
      } catch (TemplateException e) {
        return unsendable(request, delivery, startedAt, e);
      }
      // Kept with this attempt's record: every later attempt sends these bytes.
      return send(request, delivery, subscription, built, true, startedAt);
    }
    return send(request, delivery, subscription, built, false, startedAt);
  }

  /**
   * The request could not be built for this event (its template failed): nothing is sent; the
   * attempt is recorded with error {@code template} and the template's message where an
   * endpoint's answer would be, and the delivery fails at once, since every retry would fail the
   * same way. The endpoint's health is not the question: its health workflow is not told.
   */
  private AttemptResult unsendable(
      AttemptRequest request, Delivery delivery, Instant startedAt, TemplateException e) {
    long durationMs = Duration.between(startedAt, clock.instant()).toMillis();
    Attempt attempt =
        new Attempt(ids.next("att"), delivery.id(), request.attemptNumber(), startedAt, durationMs,
            null, storable(e.getMessage()), TEMPLATE_ERROR, Outcome.FAILED);
    if (deliveries.recordAttempt(
            new AttemptRecord(attempt, DeliveryStatus.FAILED, null, delivery.subscriptionId(), false))
        .isPresent()) {
      counted(delivery, attempt);
    }
    return new AttemptResult(AttemptOutcome.UNSENDABLE, null, TEMPLATE_ERROR, durationMs, null,
        TEMPLATE_ERROR + ": " + e.getMessage());
  }

  private AttemptResult send(
      AttemptRequest request,
      Delivery delivery,
      Subscription subscription,
      BuiltRequest built,
      boolean keepBuilt,
      Instant startedAt) {
    AttemptShape shape =
        AttemptShape.of(subscription, built, delivery.eventId(), delivery.eventType(), delivery.id(),
            request.attemptNumber(), startedAt);
    Duration budget = Duration.ofSeconds(subscription.timeoutSeconds());
    Exchanged sent =
        subscription.auth() instanceof OAuth2ClientCredentials oauth
            ? withToken(subscription.id(), oauth, shape, budget)
            : new Exchanged(sender.send(request(shape, budget, subscription.auth())), null);
    HttpExchange exchange = sent.exchange();
    Classification c =
        sent.tokenFailure() != null
            ? sent.tokenFailure()
            : OutcomeClassifier.classify(exchange, clock.instant(),
                subscription.auth() instanceof EndpointAuth.MutualTls);
    String error = c.errorCode();
    Verdict verdict = Verdict.of(c, request.retryDelaySeconds());
    AttemptOutcome outcome = verdict.outcome();
    Integer nextDelay = verdict.nextDelaySeconds();
    DeliveryStatus status = verdict.status();
    Instant finishedAt = startedAt.plusMillis(exchange.durationMs());
    Attempt attempt =
        new Attempt(ids.next("att"), delivery.id(), request.attemptNumber(), startedAt,
            exchange.durationMs(), exchange.statusCode(), storable(exchange.responseBody()), error,
            verdict.recorded());
    if (c.retryAfterSeconds() != null) {
      // A 429 or 503 with Retry-After: the endpoint's other deliveries wait too (written before
      // the attempt is recorded, so that a delivery seen retrying has held the others already).
      gate.backOff(subscription.id(),
          finishedAt.plusSeconds(Math.min(c.retryAfterSeconds(), MAX_ENDPOINT_BACKOFF_SECONDS)));
    }
    Optional<Streak> streak =
        deliveries.recordAttempt(
            new AttemptRecord(attempt, status,
                nextDelay == null ? null : finishedAt.plusSeconds(nextDelay), subscription.id(),
                true, keepBuilt ? built : null));
    // A healthy endpoint costs the health workflow nothing, and a failing one costs it only the
    // failures that cross a threshold. An attempt recorded by an earlier run is told again.
    if (streak.isPresent()) {
      counted(delivery, attempt);
      health.recorded(delivery.tenantId(), subscription, attempt, streak.get());
    } else {
      health.replayed(delivery.tenantId(), subscription, attempt);
    }
    String described = describe(exchange.statusCode(), error, exchange.durationMs());
    log.debug("attempt {} of {} to {}: {}{}", request.attemptNumber(), delivery.id(),
        subscription.id(), described, nextDelay == null ? "" : "; next in " + nextDelay + " s");
    return new AttemptResult(outcome, exchange.statusCode(), error, exchange.durationMs(), nextDelay,
        described);
  }

  /** Counts an attempt recorded now (not one an earlier run recorded). */
  private void counted(Delivery delivery, Attempt attempt) {
    Instant finishedAt = attempt.startedAt().plusMillis(attempt.durationMs());
    metrics.attempted(attempt.outcome(), attempt.error(), attempt.statusCode(),
        Duration.ofMillis(attempt.durationMs()));
    if (attempt.number() == 1) {
      metrics.firstAttempt(Duration.between(delivery.createdAt(), attempt.startedAt()));
    }
    if (attempt.outcome().succeeded()) {
      metrics.succeeded(Duration.between(delivery.createdAt(), finishedAt));
    }
  }

  /** An exchange, and the classification of a token request that failed before it, if one did. */
  private record Exchanged(HttpExchange exchange, Classification tokenFailure) {}

  /**
   * The request with the subscription's OAuth 2.0 access token, kept or fetched first, all within
   * the attempt's deadline. A token request that fails is the attempt's failure: error {@code
   * auth} (or {@code blocked_address}) with the token endpoint's status. A 401 from the endpoint
   * gets one new token and one more try.
   */
  private Exchanged withToken(
      String subscriptionId, OAuth2ClientCredentials oauth, AttemptShape shape, Duration budget) {
    long started = System.nanoTime();
    OAuth2Tokens.Fetched token = tokens.token(subscriptionId, oauth, budget);
    if (!token.ok()) {
      return new Exchanged(
          new HttpExchange(token.statusCode(), null, token.detail(), elapsedMs(started), null),
          new Classification(false, false, token.error(), null));
    }
    HttpExchange exchange = sendWithin(shape.withAuthorization("Bearer " + token.token()), budget, started);
    if (Integer.valueOf(401).equals(exchange.statusCode())) {
      tokens.refused(subscriptionId, oauth, token.token());
      Duration left = budget.minusMillis(elapsedMs(started));
      OAuth2Tokens.Fetched fresh = left.isNegative() ? token : tokens.token(subscriptionId, oauth, left);
      if (fresh.ok() && !fresh.token().equals(token.token())) {
        exchange = sendWithin(shape.withAuthorization("Bearer " + fresh.token()), budget, started);
      }
    }
    return new Exchanged(
        new HttpExchange(exchange.statusCode(), exchange.retryAfter(), exchange.responseBody(),
            elapsedMs(started), exchange.failure()),
        null);
  }

  /** Sends with what is left of {@code budget} since {@code started}; none left is a timeout. */
  private HttpExchange sendWithin(AttemptShape shape, Duration budget, long started) {
    Duration left = budget.minusMillis(elapsedMs(started));
    if (left.isNegative() || left.isZero()) {
      return HttpExchange.failed(
          new java.net.SocketTimeoutException("no time left after the token request"),
          elapsedMs(started));
    }
    return sender.send(request(shape, left, null));
  }

  /** The request of {@code shape}, with the client certificate of mutual-TLS {@code auth}. */
  private static WebhookRequest request(AttemptShape shape, Duration timeout, EndpointAuth auth) {
    return new WebhookRequest(
        shape.method(),
        URI.create(shape.url()),
        shape.body(),
        shape.headers().stream().map(h -> new Header(h.name(), h.value())).toList(),
        timeout,
        auth instanceof EndpointAuth.MutualTls mtls ? mtls : null);
  }

  private static long elapsedMs(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
  }

  /**
   * An attempt recorded by an earlier run of this activity, or by an earlier run of the workflow
   * (an operator's Reset): answer as it was, send nothing, and report it to the health workflow
   * again (the earlier run may have failed before it could). A success is told only to a health
   * workflow already running: without one there is no streak for it to end.
   */
  private AttemptResult replay(AttemptRequest request, AttemptContext loaded) {
    Attempt a = loaded.recorded();
    if (TEMPLATE_ERROR.equals(a.error())) {
      return new AttemptResult(AttemptOutcome.UNSENDABLE, null, TEMPLATE_ERROR, a.durationMs(),
          null, TEMPLATE_ERROR + ": " + a.responseBody());
    }
    boolean succeeded = a.outcome().succeeded();
    if (loaded.subscription() != null) {
      health.replayed(loaded.delivery().tenantId(), loaded.subscription(), a);
    }
    Integer nextDelay =
        succeeded || request.retryDelaySeconds() == null
            ? null
            : delayAfterReplay(request, loaded.delivery());
    return new AttemptResult(Verdict.ofRecorded(a), a.statusCode(), a.error(), a.durationMs(),
        nextDelay, describe(a.statusCode(), a.error(), a.durationMs()));
  }

  /**
   * The wait after a replayed attempt. When the record has moved past it (a later attempt is
   * recorded, or the delivery has ended), as after a Reset to an earlier point, the next step
   * comes at once, so that the run catches up with its record instead of waiting out the
   * record's backoff before each attempt it replays. Otherwise what is left of the recorded
   * wait, as when this activity is retried after it recorded its attempt.
   */
  private int delayAfterReplay(AttemptRequest request, Delivery delivery) {
    if (delivery.attemptCount() > request.attemptNumber() || delivery.status().isFinished()) {
      return 1;
    }
    Instant next = delivery.nextAttemptAt();
    return next == null
        ? request.retryDelaySeconds()
        : (int) Math.max(1, Duration.between(clock.instant(), next).toSeconds());
  }

  @Override
  public void cancel(CancelRequest request) {
    deliveries.markUnfinished(request.deliveryId(), DeliveryStatus.CANCELLED, clock.instant());
  }

  private static AttemptResult notSent(AttemptOutcome outcome, String why) {
    return new AttemptResult(outcome, null, null, 0, null, "not sent: " + why);
  }

  private static String storable(String body) {
    return Verdict.storable(body);
  }

  static String describe(Integer statusCode, String error, long durationMs) {
    return Verdict.describe(statusCode, error, durationMs);
  }
}
