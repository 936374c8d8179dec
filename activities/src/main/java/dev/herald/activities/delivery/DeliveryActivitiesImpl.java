package dev.herald.activities.delivery;

import dev.herald.activities.health.HealthReporter;
import dev.herald.activities.http.Classification;
import dev.herald.activities.http.HttpExchange;
import dev.herald.activities.http.OutcomeClassifier;
import dev.herald.activities.http.WebhookRequest;
import dev.herald.activities.http.WebhookSender;
import dev.herald.core.delivery.Attempt;
import dev.herald.core.delivery.AttemptContext;
import dev.herald.core.delivery.AttemptRecord;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryDao;
import dev.herald.core.delivery.DeliveryStatus;
import dev.herald.core.ids.Ids;
import dev.herald.core.subscription.Subscription;
import dev.herald.workflows.delivery.AttemptOutcome;
import dev.herald.workflows.delivery.AttemptRequest;
import dev.herald.workflows.delivery.AttemptResult;
import dev.herald.workflows.delivery.CancelRequest;
import dev.herald.workflows.delivery.DeliveryActivities;
import dev.herald.workflows.health.AttemptReport;
import dev.herald.workflows.schedule.RetrySchedule;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One attempt of a delivery: load, check, sign, POST, record, classify. Shared by every activity
 * thread of a worker; holds no state of its own.
 */
public final class DeliveryActivitiesImpl implements DeliveryActivities {

  private final DeliveryDao deliveries;
  private final WebhookSender sender;
  private final HealthReporter health;
  private final Ids ids;
  private final Clock clock;

  public DeliveryActivitiesImpl(
      DeliveryDao deliveries, WebhookSender sender, HealthReporter health, Ids ids, Clock clock) {
    this.deliveries = deliveries;
    this.sender = sender;
    this.health = health;
    this.ids = ids;
    this.clock = clock;
  }

  @Override
  public AttemptResult attempt(AttemptRequest request) {
    Optional<Attempt> recorded = deliveries.findAttempt(request.deliveryId(), request.attemptNumber());
    if (recorded.isPresent()) {
      return replay(request, recorded.get());
    }
    Optional<AttemptContext> loaded = deliveries.loadForAttempt(request.deliveryId());
    if (loaded.isEmpty()) {
      return notSent(AttemptOutcome.CANCELLED, "the delivery no longer exists");
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
    return send(request, delivery, subscription, loaded.get().payload());
  }

  private AttemptResult send(
      AttemptRequest request, Delivery delivery, Subscription subscription, String payload) {
    Instant startedAt = clock.instant();
    byte[] body = payload.getBytes(StandardCharsets.UTF_8);
    HttpExchange exchange =
        sender.send(
            new WebhookRequest(
                URI.create(subscription.url()),
                body,
                AttemptHeaders.of(delivery, subscription, request.attemptNumber(), startedAt, body),
                Duration.ofSeconds(subscription.timeoutSeconds())));
    Classification c = OutcomeClassifier.classify(exchange, clock.instant());
    String error = c.errorCode();
    AttemptOutcome outcome =
        c.success() ? AttemptOutcome.SUCCEEDED : c.gone() ? AttemptOutcome.GONE : AttemptOutcome.FAILED;
    Integer nextDelay =
        outcome.isFailure() && request.retryDelaySeconds() != null
            ? RetrySchedule.withRetryAfter(request.retryDelaySeconds(), c.retryAfterSeconds())
            : null;
    DeliveryStatus status =
        outcome == AttemptOutcome.SUCCEEDED
            ? DeliveryStatus.SUCCEEDED
            : nextDelay != null ? DeliveryStatus.RETRYING : DeliveryStatus.FAILED;
    Instant finishedAt = startedAt.plusMillis(exchange.durationMs());
    Attempt attempt =
        new Attempt(ids.next("att"), delivery.id(), request.attemptNumber(), startedAt,
            exchange.durationMs(), exchange.statusCode(), storable(exchange.responseBody()), error,
            outcome == AttemptOutcome.SUCCEEDED ? "succeeded" : "failed");
    Optional<Integer> failuresBefore =
        deliveries.recordAttempt(
            new AttemptRecord(attempt, status,
                nextDelay == null ? null : finishedAt.plusSeconds(nextDelay), subscription.id()));
    // A healthy endpoint costs the health workflow nothing: a success is reported only when it
    // ends a streak. An attempt recorded by an earlier run of this activity is reported again.
    if (outcome.isFailure() || failuresBefore.map(n -> n > 0).orElse(true)) {
      report(delivery, subscription, attempt);
    }
    return new AttemptResult(outcome, exchange.statusCode(), error, exchange.durationMs(), nextDelay,
        describe(exchange.statusCode(), error, exchange.durationMs()));
  }

  /** Tells the subscription's health workflow about a recorded attempt. */
  private void report(Delivery delivery, Subscription subscription, Attempt a) {
    AttemptReport report =
        new AttemptReport(a.id(), a.deliveryId(), a.startedAt().plusMillis(a.durationMs()).toEpochMilli(),
            a.statusCode(), a.error(), subscription.disableAfterFailures(),
            subscription.disableAfterSeconds());
    if ("succeeded".equals(a.outcome())) {
      health.succeeded(delivery.tenantId(), subscription.id(), report);
    } else {
      health.failed(delivery.tenantId(), subscription.id(), report);
    }
  }

  /**
   * An attempt recorded by an earlier run of this activity: answer as it was, send nothing, and
   * report it to the health workflow again (the earlier run may have failed before it could).
   */
  private AttemptResult replay(AttemptRequest request, Attempt a) {
    deliveries.loadForAttempt(request.deliveryId())
        .filter(loaded -> loaded.subscription() != null)
        .ifPresent(loaded -> report(loaded.delivery(), loaded.subscription(), a));
    boolean succeeded = "succeeded".equals(a.outcome());
    AttemptOutcome outcome =
        succeeded ? AttemptOutcome.SUCCEEDED
            : Integer.valueOf(410).equals(a.statusCode()) ? AttemptOutcome.GONE : AttemptOutcome.FAILED;
    Integer nextDelay = null;
    if (!succeeded && request.retryDelaySeconds() != null) {
      Instant next =
          deliveries.findById(request.deliveryId()).map(Delivery::nextAttemptAt).orElse(null);
      nextDelay =
          next == null
              ? request.retryDelaySeconds()
              : (int) Math.max(1, Duration.between(clock.instant(), next).toSeconds());
    }
    return new AttemptResult(outcome, a.statusCode(), a.error(), a.durationMs(), nextDelay,
        describe(a.statusCode(), a.error(), a.durationMs()));
  }

  @Override
  public void cancel(CancelRequest request) {
    deliveries.markUnfinished(request.deliveryId(), DeliveryStatus.CANCELLED, clock.instant());
  }

  private static AttemptResult notSent(AttemptOutcome outcome, String why) {
    return new AttemptResult(outcome, null, null, 0, null, "not sent: " + why);
  }

  /** PostgreSQL text cannot hold NUL; an endpoint's answer may. */
  private static String storable(String body) {
    return body == null ? null : body.replace('\u0000', '\uFFFD');
  }

  static String describe(Integer statusCode, String error, long durationMs) {
    String what = statusCode != null && error == null ? "HTTP " + statusCode : error;
    return what + " in " + durationMs + " ms";
  }
}
