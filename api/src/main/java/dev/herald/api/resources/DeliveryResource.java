package dev.herald.api.resources;

import dev.herald.api.auth.RequiresScope;
import dev.herald.api.errors.ProblemException;
import dev.herald.api.views.DeliveryView;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryDao;
import dev.herald.core.tenant.Scope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/** {@code /v1/deliveries/{id}}: a delivery with every attempt. */
@Path("/v1/deliveries/{id}")
@Produces(MediaType.APPLICATION_JSON)
public final class DeliveryResource {

  private final DeliveryDao deliveries;

  public DeliveryResource(DeliveryDao deliveries) {
    this.deliveries = deliveries;
  }

  @GET
  @RequiresScope(Scope.WEBHOOKS_READ)
  public DeliveryView get(@Context SecurityContext security, @PathParam("id") String id) {
    Delivery d =
        deliveries
            .find(Callers.of(security).tenantId(), id)
            .orElseThrow(() -> ProblemException.notFound("delivery", id));
    return DeliveryView.of(d, deliveries.attempts(d.id()));
  }
}
