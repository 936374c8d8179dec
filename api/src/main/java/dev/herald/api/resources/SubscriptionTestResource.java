package dev.herald.api.resources;

import dev.herald.api.auth.RequiresScope;
import dev.herald.api.errors.ProblemException;
import dev.herald.api.temporal.Handoff;
import dev.herald.core.event.EventPublisher;
import dev.herald.core.event.PublishResult;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.subscription.SubscriptionDao;
import dev.herald.core.tenant.Scope;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/**
 * {@code POST /v1/subscriptions/{id}/test}: a {@code webhook.test} event delivered to this
 * subscription alone, signed and retried like any other.
 */
@Path("/v1/subscriptions/{id}/test")
@Produces(MediaType.APPLICATION_JSON)
public final class SubscriptionTestResource {

  private final SubscriptionDao subscriptions;
  private final EventPublisher publisher;
  private final Handoff handoff;

  public SubscriptionTestResource(
      SubscriptionDao subscriptions, EventPublisher publisher, Handoff handoff) {
    this.subscriptions = subscriptions;
    this.publisher = publisher;
    this.handoff = handoff;
  }

  /** The answer: the test delivery, to follow at {@code /v1/deliveries/{deliveryId}}. */
  public record TestDelivery(String deliveryId, String eventId) {}

  @POST
  @RequiresScope(Scope.WEBHOOKS_WRITE)
  public Response send(@Context SecurityContext security, @PathParam("id") String id) {
    Subscription s =
        subscriptions
            .find(Callers.of(security).tenantId(), id)
            .orElseThrow(() -> ProblemException.notFound("subscription", id));
    PublishResult result = publisher.publishTest(s);
    handoff.start(result);
    return Response.status(202)
        .entity(new TestDelivery(result.deliveryIds().get(0), result.event().id()))
        .build();
  }
}
