package dev.herald.activities.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.activities.release.DeliveryLauncher;
import dev.herald.core.event.EventPublisher;
import dev.herald.core.event.PublishResult;
import dev.herald.core.ids.Ids;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationDao;
import dev.herald.core.subscription.CertificateExpiryDao;
import dev.herald.core.subscription.EndpointAuth;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.subscription.SubscriptionDao;
import dev.herald.core.tls.ClientCertificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the owner of a subscription whose mutual-TLS client certificate expires within {@link
 * #AHEAD} days, once per certificate: a {@code subscription.certificate_expiring} notification
 * and the operational event of that type to the tenant's other subscriptions, as the health
 * notices are told. Run by the worker's sweeper on every pass; the subscription's row remembers
 * which certificate was noticed, so that a pass costs one indexed query when there is nothing to
 * tell. Each step is idempotent (the notification on its key, the event on an id derived from it),
 * so workers that run it at once, or a pass that died half-way, still tell each thing once.
 */
public final class CertificateExpiryNotices {

  private static final Logger log = LoggerFactory.getLogger(CertificateExpiryNotices.class);

  /** How long before a certificate's notAfter its owner is told. */
  public static final Duration AHEAD = Duration.ofDays(14);

  private final CertificateExpiryDao expiry;
  private final SubscriptionDao subscriptions;
  private final NotificationDao notifications;
  private final EventPublisher publisher;
  private final DeliveryLauncher launcher;
  private final ObjectMapper json;
  private final Ids ids;
  private final Clock clock;

  public CertificateExpiryNotices(
      CertificateExpiryDao expiry,
      SubscriptionDao subscriptions,
      NotificationDao notifications,
      EventPublisher publisher,
      DeliveryLauncher launcher,
      ObjectMapper json,
      Ids ids,
      Clock clock) {
    this.expiry = expiry;
    this.subscriptions = subscriptions;
    this.notifications = notifications;
    this.publisher = publisher;
    this.launcher = launcher;
    this.json = json;
    this.ids = ids;
    this.clock = clock;
  }

  /** Tells the owners of at most {@code limit} certificates; returns how many were told. */
  public int notifyExpiring(int limit) {
    int told = 0;
    for (CertificateExpiryDao.Expiring e : expiry.findUnnoticed(clock.instant().plus(AHEAD), limit)) {
      try {
        if (tell(e)) {
          told++;
        }
      } catch (RuntimeException failure) {
        log.warn("could not tell the owner of {} about its certificate: {}",
            e.subscriptionId(), failure.toString());
      }
    }
    return told;
  }

  private boolean tell(CertificateExpiryDao.Expiring e) {
    Optional<Subscription> found = subscriptions.findLive(e.subscriptionId());
    if (found.isEmpty()
        || !(found.get().auth() instanceof EndpointAuth.MutualTls mtls)) {
      return false; // deleted, or its credentials changed since the query: nothing to tell
    }
    Subscription subscription = found.get();
    ClientCertificate certificate = mtls.read();
    if (!certificate.fingerprint().equals(e.fingerprint())) {
      return false; // replaced since the query; the next pass looks at the new one
    }
    String key = Notification.CERTIFICATE_EXPIRING + ":" + subscription.id() + ":" + e.fingerprint();
    notifications.insertIfAbsent(
        new Notification(ids.next("ntf"), subscription.tenantId(), Notification.CERTIFICATE_EXPIRING,
            subscription.id(), detail(certificate), now()),
        key);
    PublishResult published =
        publisher.publishExcept(subscription.tenantId(),
            OperationalEvents.certificateExpiring(key, subscription, certificate, json),
            subscription.id());
    if (!published.toStart().isEmpty() || !published.toGather().isEmpty()) {
      try {
        launcher.launch(published);
      } catch (RuntimeException failure) {
        // Committed as pending: the sweeper starts them.
        log.warn("could not start {} deliveries of {}; the sweeper will: {}",
            published.toStart().size(), published.event().id(), failure.toString());
      }
    }
    expiry.markNoticed(subscription.id(), e.fingerprint());
    log.info("told the owner of {} that its client certificate expires at {}",
        subscription.id(), certificate.expiresAt());
    return true;
  }

  private String detail(ClientCertificate certificate) {
    Instant expiresAt = certificate.expiresAt();
    String certificateNamed =
        "the client certificate " + certificate.subject() + " (issued by " + certificate.issuer() + ")";
    return expiresAt.isBefore(clock.instant())
        ? certificateNamed + " expired at " + expiresAt + "; give the subscription a new one (PATCH its auth)"
        : certificateNamed + " expires at " + expiresAt
            + "; give the subscription a new one (PATCH its auth) before then";
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
