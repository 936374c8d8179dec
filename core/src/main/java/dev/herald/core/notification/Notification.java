package dev.herald.core.notification;

import java.time.Instant;
import java.util.Set;

/**
 * Something an owner is told about one of their subscriptions (README, "Notifications").
 *
 * @param id {@code ntf_…}
 * @param type {@value #FAILING} (half-way to the disable threshold), {@value #DISABLED} or
 *     {@value #CERTIFICATE_EXPIRING} (its mutual-TLS client certificate expires within 14 days)
 * @param subscriptionId the subscription concerned
 * @param detail a sentence a person can act on, e.g. why the subscription was disabled
 */
public record Notification(
    String id, String tenantId, String type, String subscriptionId, String detail, Instant createdAt) {

  public static final String FAILING = "subscription.failing";
  public static final String DISABLED = "subscription.disabled";
  public static final String CERTIFICATE_EXPIRING = "subscription.certificate_expiring";

  /** Every type a notification may have. */
  public static final Set<String> TYPES = Set.of(FAILING, DISABLED, CERTIFICATE_EXPIRING);
}
