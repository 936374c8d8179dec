package dev.herald.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.api.auth.RequiresScope;
import dev.herald.api.errors.Problem;
import dev.herald.api.errors.ProblemException;
import dev.herald.api.temporal.DeliveryStarter;
import dev.herald.api.views.EventSpec;
import dev.herald.api.views.PublishedEvent;
import dev.herald.core.event.EventIdConflictException;
import dev.herald.core.event.EventPublisher;
import dev.herald.core.event.PublishResult;
import dev.herald.core.tenant.Scope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/** {@code /v1/events}: publishing. */
@Path("/v1/events")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class EventsResource {

  private final EventPublisher publisher;
  private final DeliveryStarter starter;

  public EventsResource(EventPublisher publisher, DeliveryStarter starter) {
    this.publisher = publisher;
    this.starter = starter;
  }

  /** Accepts an event once its rows are committed, then starts one workflow per delivery. */
  @POST
  @RequiresScope(Scope.EVENTS_PUBLISH)
  public Response publish(@Context SecurityContext security, JsonNode body) {
    PublishResult result;
    try {
      result = publisher.publish(Callers.of(security).tenantId(), EventSpec.parse(body));
    } catch (EventIdConflictException e) {
      throw new ProblemException(Problem.of(409, "conflict", "Conflict", e.getMessage()));
    }
    starter.startAll(result.toStart());
    return Response.status(202).entity(PublishedEvent.of(result.event())).build();
  }
}
