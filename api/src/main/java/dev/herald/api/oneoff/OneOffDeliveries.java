package dev.herald.api.oneoff;

import dev.herald.api.errors.Problem;
import dev.herald.api.errors.ProblemException;
import dev.herald.api.resources.UrlVetting;
import dev.herald.api.temporal.Handoff;
import dev.herald.api.views.OneOffSpec;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryDao;
import dev.herald.core.event.EventIdConflictException;
import dev.herald.core.event.EventPublisher;
import dev.herald.core.event.PublishResult;
import dev.herald.core.ids.Ids;
import dev.herald.core.subscription.EndpointAuth;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.tenant.OneOffSecretDao;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Accepts one-off deliveries ({@code POST /v1/deliveries}): vets the URL like a subscription's,
 * commits the event, its hidden target and the delivery in one transaction, then starts the
 * delivery's workflow (the sweeper starts it if this process dies in between). Idempotent on
 * the event id.
 */
public final class OneOffDeliveries {

  private final EventPublisher publisher;
  private final DeliveryDao deliveries;
  private final OneOffSecretDao secrets;
  private final Handoff handoff;
  private final UrlVetting urls;
  private final Ids ids;
  private final Clock clock;

  public OneOffDeliveries(
      EventPublisher publisher,
      DeliveryDao deliveries,
      OneOffSecretDao secrets,
      Handoff handoff,
      UrlVetting urls,
      Ids ids,
      Clock clock) {
    this.publisher = publisher;
    this.deliveries = deliveries;
    this.secrets = secrets;
    this.handoff = handoff;
    this.urls = urls;
    this.ids = ids;
    this.clock = clock;
  }

  /** The delivery, accepted now or by an earlier request with the same event id. */
  public Delivery accept(String tenantId, OneOffSpec request) {
    urls.check("/url", request.target().url());
    if (request.target().auth() instanceof EndpointAuth.OAuth2ClientCredentials oauth) {
      urls.check("/auth/tokenUrl", oauth.tokenUrl());
    }
    Subscription target = target(tenantId, request);
    PublishResult result = publish(tenantId, request, target);
    handoff.start(result.toStart());
    String eventId = result.event().id();
    return deliveries.listForEvent(tenantId, eventId).stream()
        .filter(d -> d.kind() == Subscription.Kind.ONE_OFF)
        .findFirst()
        .orElseThrow(() -> new ProblemException(
            Problem.of(409, "conflict", "Conflict",
                "the event " + eventId + " was published to subscriptions, not as a one-off delivery")));
  }

  private PublishResult publish(String tenantId, OneOffSpec request, Subscription target) {
    try {
      return publisher.publishOneOff(tenantId, request.event(), request.forRepeat(), target);
    } catch (EventIdConflictException e) {
      throw new ProblemException(Problem.of(409, "conflict", "Conflict",
          "the id " + request.event().id() + " was used before for another request"));
    }
  }

  /**
   * The hidden row the delivery goes to, signing with the request's secret, or with the tenant's
   * one-off secret (and the one it replaced, during its grace).
   */
  private Subscription target(String tenantId, OneOffSpec request) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    String id = ids.next("dst");
    if (request.secret() != null) {
      return Subscription.create(id, tenantId, request.target(), request.secret(),
          Subscription.Kind.ONE_OFF, now);
    }
    OneOffSecretDao.Secrets tenant =
        secrets.find(tenantId).orElseThrow(() -> new ProblemException(
            Problem.of(409, "one_off_secret_missing", "No signing secret for one-off deliveries",
                "give a secret on the request, or create the tenant's one-off signing secret"
                    + " first: POST /v1/one-off-secret")));
    boolean inGrace = tenant.previousSecret() != null
        && tenant.previousSecretExpiresAt() != null && now.isBefore(tenant.previousSecretExpiresAt());
    if (!inGrace) {
      return Subscription.create(id, tenantId, request.target(), tenant.secret(),
          Subscription.Kind.ONE_OFF, now);
    }
    return Subscription.create(id, tenantId, request.target(), tenant.previousSecret(),
            Subscription.Kind.ONE_OFF, now)
        .withRotatedSecret(tenant.secret(), tenant.previousSecretExpiresAt(), now);
  }
}
