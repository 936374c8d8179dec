package dev.herald.api.resources;

import dev.herald.api.auth.RequiresScope;
import dev.herald.api.errors.Problem;
import dev.herald.api.errors.ProblemException;
import dev.herald.api.temporal.Handoff;
import dev.herald.api.views.DeliveryView;
import dev.herald.core.batch.BatchDao;
import dev.herald.core.batch.BatchPlace;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryDao;
import dev.herald.model.DeliveryStatus;
import dev.herald.model.DeliveryInput;
import dev.herald.core.tenant.Scope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * {@code /v1/deliveries/{id}}: a delivery with every attempt (a batched one's are its batch's,
 * recorded on each delivery of the batch, with the batch's id); retrying and cancelling it.
 */
@Path("/v1/deliveries/{id}")
@Produces(MediaType.APPLICATION_JSON)
public final class DeliveryResource {

  private final DeliveryDao deliveries;
  private final BatchDao batches;
  private final Handoff handoff;
  private final Clock clock;

  public DeliveryResource(
      DeliveryDao deliveries, BatchDao batches, Handoff handoff, Clock clock) {
    this.deliveries = deliveries;
    this.batches = batches;
    this.handoff = handoff;
    this.clock = clock;
  }

  @GET
  @RequiresScope(Scope.WEBHOOKS_READ)
  public DeliveryView get(@Context SecurityContext security, @PathParam("id") String id) {
    // One snapshot: a status never shows without the attempt that set it, or the other way.
    DeliveryDao.WithAttempts d =
        deliveries
            .findWithAttempts(Callers.of(security).tenantId(), id)
            .orElseThrow(() -> ProblemException.notFound("delivery", id));
    return DeliveryView.of(d.delivery(), d.attempts(), batches.placeOf(id).orElse(null));
  }

  /**
   * A waiting delivery ({@code pending}, {@code retrying}) is attempted now: its backoff timer is
   * cut short and the schedule goes on after that attempt. A finished one gets exactly one more
   * attempt, numbered after its last. A held one is refused: it goes out when its subscription
   * is unpaused or re-enabled. A waiting delivery in a batch makes its whole batch attempt now;
   * one still being gathered is refused (409 {@code delivery_gathering}).
   */
  @POST
  @Path("retry")
  @RequiresScope(Scope.WEBHOOKS_WRITE)
  public Response retry(@Context SecurityContext security, @PathParam("id") String id) {
    Delivery d = find(security, id);
    switch (d.status()) {
      case HELD -> throw conflict("delivery_held",
          "the delivery is held because its subscription is paused or disabled; it goes out when"
              + " the subscription is unpaused or re-enabled");
      case PENDING, RETRYING -> attemptNow(d);
      case SUCCEEDED, FAILED, CANCELLED -> {
        Optional<DeliveryInput> reopened =
            deliveries.reopenForOneMoreAttempt(d.tenantId(), d.id(), clock.instant());
        if (reopened.isPresent()) {
          // A start refused because the last run is still winding down is left to the sweeper.
          handoff.start(reopened.stream().toList());
        } else if (find(security, id).status().isFinished()) {
          throw conflict("subscription_deleted",
              "the subscription of this delivery was deleted; there is nowhere to send it");
        } else {
          attemptNow(d); // a concurrent retry reopened it first
        }
      }
    }
    return Response.status(202)
        .entity(DeliveryView.of(find(security, id), null, batches.placeOf(id).orElse(null)))
        .build();
  }

  /** A delivery not yet finished ends {@code cancelled}; no further attempt is made. */
  @POST
  @Path("cancel")
  @RequiresScope(Scope.WEBHOOKS_WRITE)
  public Response cancel(@Context SecurityContext security, @PathParam("id") String id) {
    Delivery d = find(security, id);
    if (d.status().isFinished()) {
      throw conflict("delivery_finished",
          "the delivery already ended " + d.status().wireName() + "; retry it to send it again");
    }
    deliveries.markUnfinished(d.id(), DeliveryStatus.CANCELLED, clock.instant());
    if (d.status() != DeliveryStatus.HELD) {
      handoff.cancel(d.id());
    }
    return Response.status(202).entity(DeliveryView.of(find(security, id), null)).build();
  }

  /**
   * Cuts the workflow's wait short; a workflow that is gone is started again. A delivery in a
   * batch cuts its batch's wait short (the batch's workflow is the sweeper's to restart); one
   * still being gathered goes with its batch.
   */
  private void attemptNow(Delivery d) {
    Optional<BatchPlace> place = batches.placeOf(d.id()).filter(BatchPlace::batched);
    if (place.isPresent()) {
      if (place.get().batchId() == null) {
        throw conflict("delivery_gathering",
            "the delivery is being gathered into a batch of its subscription; it goes out with"
                + " that batch once the batch is full or its maxWaitSeconds have passed");
      }
      handoff.retryBatchNow(place.get().batchId());
      return;
    }
    if (!handoff.retryNow(d.id())) {
      deliveries.findPending(d.id()).ifPresent(p -> handoff.start(List.of(p)));
    }
  }

  private Delivery find(SecurityContext security, String id) {
    return deliveries
        .find(Callers.of(security).tenantId(), id)
        .orElseThrow(() -> ProblemException.notFound("delivery", id));
  }

  private static ProblemException conflict(String code, String detail) {
    return new ProblemException(Problem.of(409, code, "Conflict", detail));
  }
}
