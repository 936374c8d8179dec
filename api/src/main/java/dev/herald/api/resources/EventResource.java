package dev.herald.api.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.api.auth.RequiresScope;
import dev.herald.api.errors.ProblemException;
import dev.herald.api.views.DeliveryView;
import dev.herald.api.views.EventView;
import dev.herald.core.delivery.DeliveryDao;
import dev.herald.core.event.Event;
import dev.herald.core.event.EventDao;
import dev.herald.core.tenant.Scope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/** {@code /v1/events/{id}}: an event and its deliveries. */
@Path("/v1/events/{id}")
@Produces(MediaType.APPLICATION_JSON)
public final class EventResource {

  private final EventDao events;
  private final DeliveryDao deliveries;
  private final ObjectMapper json;

  public EventResource(EventDao events, DeliveryDao deliveries, ObjectMapper json) {
    this.events = events;
    this.deliveries = deliveries;
    this.json = json;
  }

  @GET
  @RequiresScope(Scope.WEBHOOKS_READ)
  public EventView get(@Context SecurityContext security, @PathParam("id") String id)
      throws JsonProcessingException {
    String tenantId = Callers.of(security).tenantId();
    Event e = events.find(tenantId, id).orElseThrow(() -> ProblemException.notFound("event", id));
    return new EventView(e.id(), e.type(), e.createdAt(), json.readTree(e.payload()).get("data"),
        e.attributes(),
        deliveries.listForEvent(tenantId, id).stream().map(d -> DeliveryView.of(d, null)).toList());
  }
}
