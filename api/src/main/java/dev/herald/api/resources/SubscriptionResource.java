package dev.herald.api.resources;

import dev.herald.api.auth.RequiresScope;
import dev.herald.api.errors.ProblemException;
import dev.herald.api.views.SubscriptionView;
import dev.herald.core.subscription.SubscriptionDao;
import dev.herald.core.tenant.Scope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/** {@code /v1/subscriptions/{id}}: one subscription. */
@Path("/v1/subscriptions/{id}")
@Produces(MediaType.APPLICATION_JSON)
public final class SubscriptionResource {

  private final SubscriptionDao subscriptions;

  public SubscriptionResource(SubscriptionDao subscriptions) {
    this.subscriptions = subscriptions;
  }

  @GET
  @RequiresScope(Scope.WEBHOOKS_READ)
  public SubscriptionView get(@Context SecurityContext security, @PathParam("id") String id) {
    return subscriptions
        .find(Callers.of(security).tenantId(), id)
        .map(SubscriptionView::of)
        .orElseThrow(() -> ProblemException.notFound("subscription", id));
  }
}
