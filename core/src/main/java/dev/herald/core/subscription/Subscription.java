package dev.herald.core.subscription;

import dev.herald.core.flow.FlowLimits;
import dev.herald.model.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A subscription as stored: where to deliver which events, and how.
 *
 * @param eventTypes exact types or trailing-{@code *} patterns
 * @param filter pairs an event's attributes must all contain; empty matches every event
 * @param retrySchedule seconds to wait before each retry
 * @param wire the HTTP method and the signature scheme of its requests
 * @param auth the credentials the endpoint demands, besides the signature
 * @param secret the current signing secret
 * @param previousSecret the secret being rotated out, signing too until {@code previousSecretExpiresAt}
 * @param kind a subscription a client made, or the hidden target of a one-off delivery
 * @param orderingKey the event attribute whose value names an ordered key: the deliveries of
 *     events with the same value go one at a time, in feed order; {@code null} for unordered
 * @param batch how its deliveries are gathered into one request, or null for one per event
 */
public record Subscription(
    String id,
    String tenantId,
    String name,
    String url,
    List<String> eventTypes,
    Map<String, String> filter,
    CustomHeaders headers,
    List<Integer> retrySchedule,
    int timeoutSeconds,
    int disableAfterFailures,
    int disableAfterSeconds,
    WireFormat wire,
    EndpointAuth auth,
    String secret,
    String previousSecret,
    Instant previousSecretExpiresAt,
    boolean isActive,
    boolean isPaused,
    String disableReason,
    Instant disabledAt,
    int consecutiveFailures,
    Instant lastDeliveryAt,
    Outcome lastDeliveryStatus,
    Instant createdAt,
    Instant updatedAt,
    Kind kind,
    FlowLimits flow,
    String orderingKey,
    Batching batch) {

  public Subscription {
    flow = flow == null ? FlowLimits.NONE : flow;
  }

  /** A subscription, unordered, that sends one request per event. */
  public Subscription(
      String id, String tenantId, String name, String url, List<String> eventTypes,
      Map<String, String> filter, CustomHeaders headers, List<Integer> retrySchedule,
      int timeoutSeconds, int disableAfterFailures, int disableAfterSeconds, WireFormat wire,
      EndpointAuth auth, String secret, String previousSecret, Instant previousSecretExpiresAt,
      boolean isActive, boolean isPaused, String disableReason, Instant disabledAt,
      int consecutiveFailures, Instant lastDeliveryAt, Outcome lastDeliveryStatus,
      Instant createdAt, Instant updatedAt, Kind kind, FlowLimits flow) {
    this(id, tenantId, name, url, eventTypes, filter, headers, retrySchedule, timeoutSeconds,
        disableAfterFailures, disableAfterSeconds, wire, auth, secret, previousSecret,
        previousSecretExpiresAt, isActive, isPaused, disableReason, disabledAt,
        consecutiveFailures, lastDeliveryAt, lastDeliveryStatus, createdAt, updatedAt, kind, flow,
        null, null);
  }

  /** Whether its deliveries are gathered into batches. */
  public boolean isBatched() {
    return batch != null;
  }

  /** A subscription with no flow limits. */
  public Subscription(
      String id, String tenantId, String name, String url, List<String> eventTypes,
      Map<String, String> filter, CustomHeaders headers, List<Integer> retrySchedule,
      int timeoutSeconds, int disableAfterFailures, int disableAfterSeconds, WireFormat wire,
      EndpointAuth auth, String secret, String previousSecret, Instant previousSecretExpiresAt,
      boolean isActive, boolean isPaused, String disableReason, Instant disabledAt,
      int consecutiveFailures, Instant lastDeliveryAt, Outcome lastDeliveryStatus,
      Instant createdAt, Instant updatedAt, Kind kind) {
    this(id, tenantId, name, url, eventTypes, filter, headers, retrySchedule, timeoutSeconds,
        disableAfterFailures, disableAfterSeconds, wire, auth, secret, previousSecret,
        previousSecretExpiresAt, isActive, isPaused, disableReason, disabledAt,
        consecutiveFailures, lastDeliveryAt, lastDeliveryStatus, createdAt, updatedAt, kind,
        FlowLimits.NONE);
  }

  /** What a subscriptions row is. */
  public enum Kind {
    /** A subscription a client made: listed, matched against events, watched for health. */
    SUBSCRIPTION("subscription"),
    /**
     * Where one one-off delivery goes ({@code POST /v1/deliveries}): never listed nor matched,
     * no health workflow, never disabled.
     */
    ONE_OFF("one-off");

    private final String apiName;

    Kind(String apiName) {
      this.apiName = apiName;
    }

    /** As the API and the {@code kind} column spell it. */
    public String apiName() {
      return apiName;
    }

    /** From {@link #apiName()}. */
    public static Kind of(String apiName) {
      for (Kind k : values()) {
        if (k.apiName.equals(apiName)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown subscription kind: " + apiName);
    }
  }

  /** A client's subscription with plain headers. */
  public Subscription(
      String id, String tenantId, String name, String url, List<String> eventTypes,
      Map<String, String> filter, Map<String, String> headers, List<Integer> retrySchedule,
      int timeoutSeconds, int disableAfterFailures, int disableAfterSeconds, WireFormat wire,
      EndpointAuth auth, String secret, String previousSecret, Instant previousSecretExpiresAt,
      boolean isActive, boolean isPaused, String disableReason, Instant disabledAt,
      int consecutiveFailures, Instant lastDeliveryAt, Outcome lastDeliveryStatus,
      Instant createdAt, Instant updatedAt) {
    this(id, tenantId, name, url, eventTypes, filter, CustomHeaders.plain(headers),
        retrySchedule, timeoutSeconds, disableAfterFailures, disableAfterSeconds, wire, auth,
        secret, previousSecret, previousSecretExpiresAt, isActive, isPaused, disableReason,
        disabledAt, consecutiveFailures, lastDeliveryAt, lastDeliveryStatus, createdAt, updatedAt,
        Kind.SUBSCRIPTION);
  }

  /** Whether this is the hidden target of a one-off delivery. */
  public boolean isOneOff() {
    return kind == Kind.ONE_OFF;
  }

  /** Whether an event of this type with these attributes goes to this subscription. */
  public boolean matches(String eventType, Map<String, String> attributes) {
    return matches(eventTypes, filter, eventType, attributes);
  }

  /** Whether {@code eventTypes} and {@code filter} take an event of this type and attributes. */
  static boolean matches(List<String> eventTypes, Map<String, String> filter, String eventType,
      Map<String, String> attributes) {
    return eventTypes.stream().anyMatch(p -> EventTypePattern.matches(p, eventType))
        && filter.entrySet().stream()
            .allMatch(e -> e.getValue().equals(attributes.get(e.getKey())));
  }

  /** Whether its deliveries of events with the same {@link #orderingKey} value go in order. */
  public boolean isOrdered() {
    return orderingKey != null;
  }

  /** Whether deliveries may go out now; otherwise they wait as held. */
  public boolean isDeliverable() {
    return isActive && !isPaused;
  }

  /** The secrets that sign an attempt made at {@code now}: the current one first. */
  public List<String> signingSecrets(Instant now) {
    if (previousSecret != null
        && previousSecretExpiresAt != null
        && now.isBefore(previousSecretExpiresAt)) {
      return List.of(secret, previousSecret);
    }
    return List.of(secret);
  }

  /**
   * Every field but the signing secrets, which show only whether they are set; {@code auth} and
   * {@code headers} hide their own secrets. A subscription in a log line or an assertion message
   * gives nothing away.
   */
  @Override
  public String toString() {
    return "Subscription[id=" + id + ", tenantId=" + tenantId + ", name=" + name + ", url=" + url
        + ", eventTypes=" + eventTypes + ", filter=" + filter + ", headers=" + headers
        + ", retrySchedule=" + retrySchedule + ", timeoutSeconds=" + timeoutSeconds
        + ", disableAfterFailures=" + disableAfterFailures + ", disableAfterSeconds="
        + disableAfterSeconds + ", wire=" + wire + ", auth=" + auth + ", secret="
        + hidden(secret) + ", previousSecret=" + hidden(previousSecret)
        + ", previousSecretExpiresAt=" + previousSecretExpiresAt + ", isActive=" + isActive
        + ", isPaused=" + isPaused + ", disableReason=" + disableReason + ", disabledAt="
        + disabledAt + ", consecutiveFailures=" + consecutiveFailures + ", lastDeliveryAt="
        + lastDeliveryAt + ", lastDeliveryStatus=" + lastDeliveryStatus + ", createdAt="
        + createdAt + ", updatedAt=" + updatedAt + ", kind=" + kind + ", flow=" + flow
        + ", orderingKey=" + orderingKey + ", batch=" + batch + "]";
  }

  private static String hidden(String secret) {
    return secret == null ? "null" : "hidden";
  }

  /** A new subscription: active, not paused, no deliveries yet. */
  public static Subscription create(
      String id, String tenantId, Settings settings, String secret, Instant now) {
    return create(id, tenantId, settings, secret, Kind.SUBSCRIPTION, now);
  }

  /** A new subscription of {@code kind}: active, not paused, no deliveries yet. */
  public static Subscription create(
      String id, String tenantId, Settings settings, String secret, Kind kind, Instant now) {
    return new Subscription(id, tenantId, null, null, List.of(), Map.of(), CustomHeaders.NONE,
            List.of(), 0, 0, 0, WireFormat.DEFAULT, EndpointAuth.NONE, secret, null, null, true,
            false, null, null, 0, null, null, now, now, kind, FlowLimits.NONE, null, null)
        .withSettings(settings, now);
  }

  /** The same subscription with new delivery settings (what a client may PATCH), as of {@code now}. */
  public Subscription withSettings(Settings settings, Instant now) {
    return new Subscription(id, tenantId, settings.name(), settings.url(), settings.eventTypes(),
        settings.filter(), settings.headers(), settings.retrySchedule(), settings.timeoutSeconds(),
        settings.disableAfterFailures(), settings.disableAfterSeconds(), settings.wire(), settings.auth(), secret, previousSecret,
        previousSecretExpiresAt, isActive, isPaused, disableReason, disabledAt,
        consecutiveFailures, lastDeliveryAt, lastDeliveryStatus, createdAt, now, kind,
        settings.flow(), settings.orderingKey(), settings.batch());
  }

  /** Paused (held deliveries, nothing sent) or not. */
  public Subscription withPaused(boolean paused, Instant now) {
    return new Subscription(id, tenantId, name, url, eventTypes, filter, headers, retrySchedule,
        timeoutSeconds, disableAfterFailures, disableAfterSeconds, wire, auth, secret, previousSecret,
        previousSecretExpiresAt, isActive, paused, disableReason, disabledAt, consecutiveFailures,
        lastDeliveryAt, lastDeliveryStatus, createdAt, now, kind, flow, orderingKey, batch);
  }

  /**
   * Enabled again (reason cleared, failure count reset) or disabled with {@code reason}; already
   * in that state, unchanged.
   */
  public Subscription withActive(boolean active, String reason, Instant now) {
    if (active == isActive) {
      return this;
    }
    return new Subscription(id, tenantId, name, url, eventTypes, filter, headers, retrySchedule,
        timeoutSeconds, disableAfterFailures, disableAfterSeconds, wire, auth, secret, previousSecret,
        previousSecretExpiresAt, active, isPaused, active ? null : reason, active ? null : now,
        active ? 0 : consecutiveFailures, lastDeliveryAt, lastDeliveryStatus, createdAt, now, kind, flow,
        orderingKey, batch);
  }

  /**
   * Signs with {@code newSecret} from now on; the current secret keeps signing too until {@code
   * previousUntil}, or stops at once when that is null. At most one previous secret is kept.
   */
  public Subscription withRotatedSecret(String newSecret, Instant previousUntil, Instant now) {
    return new Subscription(id, tenantId, name, url, eventTypes, filter, headers, retrySchedule,
        timeoutSeconds, disableAfterFailures, disableAfterSeconds, wire, auth, newSecret,
        previousUntil == null ? null : secret, previousUntil, isActive, isPaused, disableReason,
        disabledAt, consecutiveFailures, lastDeliveryAt, lastDeliveryStatus, createdAt, now, kind, flow,
        orderingKey, batch);
  }

  /**
   * What a client chooses about a subscription: where, which events, how to retry, and which
   * attribute, if any, orders its deliveries.
   */
  public record Settings(
      String name,
      String url,
      List<String> eventTypes,
      Map<String, String> filter,
      CustomHeaders headers,
      List<Integer> retrySchedule,
      int timeoutSeconds,
      int disableAfterFailures,
      int disableAfterSeconds,
      WireFormat wire,
      EndpointAuth auth,
      FlowLimits flow,
      String orderingKey,
      Batching batch) {

    public Settings {
      flow = flow == null ? FlowLimits.NONE : flow;
    }

    /** Settings, unordered, that send one request per event. */
    public Settings(
        String name, String url, List<String> eventTypes, Map<String, String> filter,
        CustomHeaders headers, List<Integer> retrySchedule, int timeoutSeconds,
        int disableAfterFailures, int disableAfterSeconds, WireFormat wire, EndpointAuth auth,
        FlowLimits flow) {
      this(name, url, eventTypes, filter, headers, retrySchedule, timeoutSeconds,
          disableAfterFailures, disableAfterSeconds, wire, auth, flow, null, null);
    }

    /** Settings with no flow limits. */
    public Settings(
        String name, String url, List<String> eventTypes, Map<String, String> filter,
        CustomHeaders headers, List<Integer> retrySchedule, int timeoutSeconds,
        int disableAfterFailures, int disableAfterSeconds, WireFormat wire, EndpointAuth auth) {
      this(name, url, eventTypes, filter, headers, retrySchedule, timeoutSeconds,
          disableAfterFailures, disableAfterSeconds, wire, auth, FlowLimits.NONE);
    }

    /** Settings with plain headers. */
    public Settings(
        String name, String url, List<String> eventTypes, Map<String, String> filter,
        Map<String, String> headers, List<Integer> retrySchedule, int timeoutSeconds,
        int disableAfterFailures, int disableAfterSeconds, WireFormat wire, EndpointAuth auth) {
      this(name, url, eventTypes, filter, CustomHeaders.plain(headers), retrySchedule,
          timeoutSeconds, disableAfterFailures, disableAfterSeconds, wire, auth);
    }
  }
}
