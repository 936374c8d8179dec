package dev.herald.api.views;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.herald.core.subscription.EndpointAuth;
import dev.herald.core.subscription.Subscription;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A subscription as the API shows it; {@code secret} only in the answer that created it, {@code
 * headers} not in lists.
 */
public record SubscriptionView(
    String id,
    String name,
    String url,
    List<String> events,
    Map<String, String> filter,
    @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> headers,
    List<Integer> retrySchedule,
    int timeoutSeconds,
    DisableAfter disableAfter,
    String method,
    Map<String, String> signature,
    Map<String, String> headerNames,
    Map<String, String> body,
    Map<String, String> auth,
    Integer maxConcurrency,
    Map<String, Integer> rateLimit,
    Map<String, String> ordering,
    Map<String, Integer> batch,
    boolean isActive,
    boolean isPaused,
    String disableReason,
    Instant disabledAt,
    Instant createdAt,
    Instant updatedAt,
    Instant lastDeliveryAt,
    String lastDeliveryStatus,
    int consecutiveFailures,
    @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {

  /** The thresholds that disable a failing endpoint. */
  public record DisableAfter(int failures, int seconds) {}

  public static SubscriptionView of(Subscription s) {
    return of(s, null);
  }

  public static SubscriptionView withSecret(Subscription s) {
    return of(s, s.headers().shown(), s.secret());
  }

  /** As lists show it: without its headers, which may hold credentials for the endpoint. */
  public static SubscriptionView summary(Subscription s) {
    return of(s, null, null);
  }

  private static SubscriptionView of(Subscription s, String secret) {
    return of(s, s.headers().shown(), secret);
  }

  private static SubscriptionView of(Subscription s, Map<String, Object> headers, String secret) {
    return new SubscriptionView(
        s.id(), s.name(), s.url(), s.eventTypes(), s.filter(), headers, s.retrySchedule(),
        s.timeoutSeconds(), new DisableAfter(s.disableAfterFailures(), s.disableAfterSeconds()),
        s.wire().method(), s.wire().signatureFields(), s.wire().headerNames().asMap(),
        s.wire().body().fields(),
        s.auth() instanceof EndpointAuth.None ? null : s.auth().shown(),
        s.flow().maxConcurrency(), FlowLimitsSpec.shown(s.flow().rateLimit()),
        OrderingSpec.shown(s.orderingKey()), BatchSpec.shown(s.batch()), s.isActive(), s.isPaused(), s.disableReason(), s.disabledAt(), s.createdAt(),
        s.updatedAt(), s.lastDeliveryAt(),
        s.lastDeliveryStatus() == null ? null : s.lastDeliveryStatus().wireName(),
        s.consecutiveFailures(), secret);
  }
}
