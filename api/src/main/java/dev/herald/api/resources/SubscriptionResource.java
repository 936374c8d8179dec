package dev.herald.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.api.auth.RequiresScope;
import dev.herald.api.errors.ProblemException;
import dev.herald.api.temporal.Handoff;
import dev.herald.api.views.SubscriptionPatch;
import dev.herald.api.views.SubscriptionView;
import dev.herald.core.subscription.EndpointAuth;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.subscription.SubscriptionDao;
import dev.herald.core.tenant.Scope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** {@code /v1/subscriptions/{id}}: reading, changing and deleting one subscription. */
@Path("/v1/subscriptions/{id}")
@Produces(MediaType.APPLICATION_JSON)
public final class SubscriptionResource {

  static final String DISABLED_BY_CLIENT = "disabled through the API";

  private final SubscriptionDao subscriptions;
  private final UrlVetting urls;
  private final Handoff handoff;
  private final ObjectMapper json;
  private final Clock clock;

  public SubscriptionResource(
      SubscriptionDao subscriptions,
      UrlVetting urls,
      Handoff handoff,
      ObjectMapper json,
      Clock clock) {
    this.subscriptions = subscriptions;
    this.urls = urls;
    this.handoff = handoff;
    this.json = json;
    this.clock = clock;
  }

  @GET
  @RequiresScope(Scope.WEBHOOKS_READ)
  public SubscriptionView get(@Context SecurityContext security, @PathParam("id") String id) {
    return subscriptions
        .find(Callers.of(security).tenantId(), id)
        .map(SubscriptionView::of)
        .orElseThrow(() -> ProblemException.notFound("subscription", id));
  }

  /**
   * Changes the fields the body names. Re-enabling resets the failure count (the health
   * workflow is told); unpausing or re-enabling releases the held deliveries, oldest first, at
   * the configured rate.
   */
  @PATCH
  @Consumes(MediaType.APPLICATION_JSON)
  @RequiresScope(Scope.WEBHOOKS_WRITE)
  public SubscriptionView patch(
      @Context SecurityContext security, @PathParam("id") String id, JsonNode body) {
    String tenantId = Callers.of(security).tenantId();
    Subscription current =
        subscriptions.find(tenantId, id).orElseThrow(() -> ProblemException.notFound("subscription", id));
    // Validate and vet the address before taking the row's lock: resolving a name takes time.
    SubscriptionPatch preview = SubscriptionPatch.parse(body, current, json);
    if (preview.urlChanged()) {
      urls.check("/url", preview.settings().url());
    }
    if (preview.settings().auth() instanceof EndpointAuth.OAuth2ClientCredentials oauth
        && !oauth.equals(current.auth())) {
      urls.check("/auth/tokenUrl", oauth.tokenUrl());
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    SubscriptionDao.Change change =
        subscriptions
            .modify(tenantId, id, locked -> apply(SubscriptionPatch.parse(body, locked, json), locked, now))
            .orElseThrow(() -> ProblemException.notFound("subscription", id));
    if (!change.before().isActive() && change.after().isActive()) {
      handoff.resetHealth(id, "re-enabled through the API");
    }
    if (!change.before().isDeliverable() && change.after().isDeliverable()) {
      handoff.release(id);
    }
    return SubscriptionView.of(change.after());
  }

  /**
   * Deletes the subscription; its unfinished deliveries end {@code cancelled} at once, and the
   * workflows of those waiting out a backoff are told to stop.
   */
  @DELETE
  @RequiresScope(Scope.WEBHOOKS_WRITE)
  public Response delete(@Context SecurityContext security, @PathParam("id") String id) {
    List<String> waiting =
        subscriptions
            .delete(Callers.of(security).tenantId(), id, clock.instant().truncatedTo(ChronoUnit.MILLIS))
            .orElseThrow(() -> ProblemException.notFound("subscription", id));
    handoff.cancelInBackground(waiting);
    return Response.noContent().build();
  }

  private static Subscription apply(SubscriptionPatch patch, Subscription current, Instant now) {
    Subscription next = current.withSettings(patch.settings(), now);
    if (patch.isPaused() != null) {
      next = next.withPaused(patch.isPaused(), now);
    }
    if (patch.isActive() != null) {
      next = next.withActive(patch.isActive(), DISABLED_BY_CLIENT, now);
    }
    return next;
  }
}
