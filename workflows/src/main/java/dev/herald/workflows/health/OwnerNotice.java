package dev.herald.workflows.health;

/**
 * A happening the owner of a subscription is told about.
 *
 * @param type {@value #FAILING} (half-way to the threshold) or {@value #DISABLED}
 * @param subscriptionId the subscription concerned
 * @param tenantId its tenant
 * @param reason a sentence a person can act on, e.g. "20 consecutive failed attempts since
 *     2026-11-22T09:14Z; last: HTTP 503"
 * @param consecutiveFailures the count when it happened
 * @param streakStartedAtMillis when the streak began (epoch milliseconds): with the type, it
 *     names the happening, so that a retried activity records it once
 * @param atMillis when it happened (epoch milliseconds); for a disable, {@code disabledAt}
 */
public record OwnerNotice(
    String type,
    String subscriptionId,
    String tenantId,
    String reason,
    int consecutiveFailures,
    long streakStartedAtMillis,
    long atMillis) {

  public static final String FAILING = "subscription.failing";
  public static final String DISABLED = "subscription.disabled";

  /** Names this happening: the same notice gives the same key. */
  public String key() {
    return type + ":" + subscriptionId + ":" + streakStartedAtMillis;
  }
}
