package dev.herald.core.metrics;

import dev.herald.model.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Herald's own meters, named and labelled in one place (docs/METRICS.md lists them). Labels are
 * bounded: tenants and event types by {@link BoundedLabel}, outcomes and error codes by Herald's
 * own vocabularies; no delivery or subscription id is ever a label.
 */
public final class HeraldMetrics {

  /** The time from publishing to an attempt or a success: from a moment to days of retries. */
  private static final Duration[] SINCE_PUBLISH_BUCKETS = {
    Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
    Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5),
    Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30),
    Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(1), Duration.ofDays(3)
  };

  /** An attempt's own duration: up to the longest deadline, 30 s. */
  private static final Duration[] ATTEMPT_BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)
  };

  private final MeterRegistry registry;
  private final BoundedLabel tenants;
  private final BoundedLabel types;
  private final Timer firstAttempt;
  private final Timer success;
  private final Counter disabled;
  private final Counter sweptDeliveries;
  private final Map<String, Counter> reopened = new HashMap<>();
  private final Map<String, Counter> refused = new HashMap<>();
  private final Map<String, Counter> retained = new HashMap<>();
  private final Timer retentionBatch;
  // The labelled meters each call uses, found once per label values: a builder registering on
  // every call builds and hashes a meter id each time, on every publish and every attempt. The
  // keys are bounded as the labels are.
  private final Map<List<String>, Counter> publishedByLabels = new ConcurrentHashMap<>();
  private final Map<String, Counter> deliveriesByTenant = new ConcurrentHashMap<>();
  private final Map<List<String>, Counter> attemptsByLabels = new ConcurrentHashMap<>();
  private final Map<Outcome, Timer> attemptDurationByOutcome = new ConcurrentHashMap<>();

  /** Why the API refuses a caller: no key, an unknown or revoked one, a scope, a tenant off. */
  public static final List<String> REFUSALS =
      List.of("no_key", "unknown_key", "insufficient_scope", "webhooks_disabled");

  /**
   * @param maxLabelValues distinct tenants, and distinct event types, reported by name; the rest
   *     are counted as {@code _other}
   */
  public HeraldMetrics(MeterRegistry registry, int maxLabelValues) {
    this.registry = registry;
    this.tenants = new BoundedLabel(maxLabelValues);
    this.types = new BoundedLabel(maxLabelValues);
    this.firstAttempt =
        Timer.builder("herald.publish.to.first.attempt")
            .description("From publishing to the start of a delivery's first attempt")
            .serviceLevelObjectives(SINCE_PUBLISH_BUCKETS)
            .register(registry);
    this.success =
        Timer.builder("herald.publish.to.success")
            .description("From publishing to the end of a delivery's successful attempt")
            .serviceLevelObjectives(SINCE_PUBLISH_BUCKETS)
            .register(registry);
    // Registered at 0 from the start, so that a dashboard shows 0 rather than no data.
    this.disabled =
        Counter.builder("herald.subscriptions.disabled")
            .description("Subscriptions disabled for failing")
            .register(registry);
    this.sweptDeliveries =
        Counter.builder("herald.sweeper.restarts")
            .description("Deliveries whose workflows the sweeper started again")
            .register(registry);
    for (String by : List.of("release", "recovery")) {
      reopened.put(by,
          Counter.builder("herald.deliveries.reopened")
              .description("Held deliveries released, and failed ones reopened by recovery")
              .tags("by", by)
              .register(registry));
    }
    for (String kind :
        List.of("deliveries", "attempts", "events", "statistics", "jobs", "notifications")) {
      retained.put(kind,
          Counter.builder("herald.retention.removed")
              .description("Rows removed by retention: finished deliveries past the retention"
                  + " period, their attempts, events no delivery refers to, statistics buckets")
              .tags("kind", kind)
              .register(registry));
    }
    this.retentionBatch =
        Timer.builder("herald.retention.batch.duration")
            .description("A retention batch's duration")
            .serviceLevelObjectives(ATTEMPT_BUCKETS)
            .register(registry);
    for (String reason : REFUSALS) {
      refused.put(reason,
          Counter.builder("herald.api.auth.failures")
              .description("API requests refused: no key, unknown or revoked key, scope, tenant off")
              .tags("reason", reason)
              .register(registry));
    }
  }

  /** Meters that go nowhere: for tests and tools that do not watch them. */
  public static HeraldMetrics none() {
    return new HeraldMetrics(new CompositeMeterRegistry(), 1);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** An event accepted for the first time (not a repeat of its id) and its deliveries made. */
  public void published(String tenantId, String type, int deliveries) {
    String tenant = tenants.of(tenantId);
    publishedByLabels.computeIfAbsent(List.of(tenant, types.of(type)), labels ->
            Counter.builder("herald.events.published")
                .description("Events accepted, by tenant and type (repeats of an id not counted)")
                .tags("tenant", labels.get(0), "type", labels.get(1))
                .register(registry))
        .increment();
    deliveriesByTenant.computeIfAbsent(tenant, t ->
            Counter.builder("herald.deliveries")
                .description("Deliveries made for accepted events, held ones included")
                .tags("tenant", t)
                .register(registry))
        .increment(deliveries);
  }

  /**
   * An attempt recorded for the first time.
   *
   * @param error the attempt's error code ({@code timeout}, {@code template}, {@code auth}, …), or
   *     null
   * @param statusCode the endpoint's status, or null when it did not answer
   */
  public void attempted(Outcome outcome, String error, Integer statusCode, Duration took) {
    String code = errorLabel(outcome, error, statusCode);
    attemptsByLabels.computeIfAbsent(List.of(outcome.wireName(), code), labels ->
            Counter.builder("herald.attempts")
                .description("Attempts recorded, by outcome and error code")
                .tags("outcome", labels.get(0), "error", labels.get(1))
                .register(registry))
        .increment();
    attemptDurationByOutcome.computeIfAbsent(outcome, o ->
            Timer.builder("herald.attempt.duration")
                .description("An attempt's duration: connecting, sending and reading the answer")
                .tags("outcome", o.wireName())
                .serviceLevelObjectives(ATTEMPT_BUCKETS)
                .register(registry))
        .record(took);
  }

  /** A delivery's first attempt started {@code sincePublish} after its event was published. */
  public void firstAttempt(Duration sincePublish) {
    firstAttempt.record(nonNegative(sincePublish));
  }

  /** A delivery succeeded {@code sincePublish} after its event was published. */
  public void succeeded(Duration sincePublish) {
    success.record(nonNegative(sincePublish));
  }

  /** A subscription disabled by its health workflow. */
  public void subscriptionDisabled() {
    disabled.increment();
  }

  /** Deliveries whose workflows the sweeper started again. */
  public void swept(int deliveries) {
    sweptDeliveries.increment(deliveries);
  }

  /** Deliveries sent out again by a release ({@code release}) or a recovery ({@code recovery}). */
  public void reopened(String by, int count) {
    Counter counter = reopened.get(by);
    if (counter == null) {
      throw new IllegalArgumentException("deliveries are reopened by release or recovery: " + by);
    }
    counter.increment(count);
  }

  /** One retention batch: what it removed and how long it took. */
  public void retained(int deliveries, int attempts, int events, int statistics, Duration took) {
    retained.get("deliveries").increment(deliveries);
    retained.get("attempts").increment(attempts);
    retained.get("events").increment(events);
    retained.get("statistics").increment(statistics);
    retentionBatch.record(took);
  }

  /** Finished recovery jobs and notifications retention removed. */
  public void retainedRecords(int jobs, int notifications) {
    retained.get("jobs").increment(jobs);
    retained.get("notifications").increment(notifications);
  }

  /** A request to the API refused before its resource ran, for one of {@link #REFUSALS}. */
  public void authRefused(String reason) {
    Counter counter = refused.get(reason);
    if (counter == null) {
      throw new IllegalArgumentException("not a reason for refusing a caller: " + reason);
    }
    counter.increment();
  }

  /**
   * The error label of an attempt: its error code, else {@code http_4xx} or {@code http_5xx} by
   * the status class of a refusing answer, else {@code none}.
   */
  static String errorLabel(Outcome outcome, String error, Integer statusCode) {
    if (error != null) {
      return error;
    }
    if (!outcome.succeeded() && statusCode != null) {
      return "http_" + statusCode / 100 + "xx";
    }
    return "none";
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }
}
