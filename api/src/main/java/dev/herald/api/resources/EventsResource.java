package dev.herald.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.api.auth.RequiresScope;
import dev.herald.api.errors.Problem;
import dev.herald.api.errors.ProblemException;
import dev.herald.api.temporal.Handoff;
import dev.herald.api.views.EventSpec;
import dev.herald.api.views.Feed;
import dev.herald.api.views.FeedEvent;
import dev.herald.api.views.FeedRequest;
import dev.herald.api.views.PublishedEvent;
import dev.herald.core.event.EventDao;
import dev.herald.core.event.EventIdConflictException;
import dev.herald.core.event.EventPublisher;
import dev.herald.core.event.FeedEntry;
import dev.herald.core.event.PublishResult;
import dev.herald.core.tenant.Scope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;

/** {@code /v1/events}: publishing, and the feed of what was published. */
@Path("/v1/events")
@Produces(MediaType.APPLICATION_JSON)
public final class EventsResource {

  private final EventPublisher publisher;
  private final Handoff handoff;
  private final EventDao events;
  private final ObjectMapper json;

  public EventsResource(
      EventPublisher publisher, Handoff handoff, EventDao events, ObjectMapper json) {
    this.publisher = publisher;
    this.handoff = handoff;
    this.events = events;
    this.json = json;
  }

  /** Accepts an event once its rows are committed, then starts one workflow per delivery. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RequiresScope(Scope.EVENTS_PUBLISH)
  public Response publish(@Context SecurityContext security, JsonNode body) {
    PublishResult result;
    try {
      result = publisher.publish(Callers.of(security).tenantId(), EventSpec.parse(body));
    } catch (EventIdConflictException e) {
      throw new ProblemException(Problem.of(409, "conflict", "Conflict", e.getMessage()));
    }
    handoff.start(result);
    return Response.status(202).entity(PublishedEvent.of(result.event())).build();
  }

  /**
   * The tenant's events after the cursor, oldest first in the order they were committed: a
   * poller that keeps passing {@code nextCursor} back (as {@code cursor}, like every list, or as
   * {@code after}) gets every event once. Test events of {@code POST
   * /v1/subscriptions/{id}/test} are not in the feed. The feed holds the positions after the
   * highest one retention removed: without a cursor it starts there, and a cursor before it
   * answers 410 {@code purged} with the cursor to go on from, so that a poller knows it missed
   * events instead of skipping them unknowingly.
   */
  @GET
  @RequiresScope(Scope.WEBHOOKS_READ)
  public Feed feed(
      @Context SecurityContext security,
      @QueryParam("cursor") String cursor,
      @QueryParam("after") String after,
      @QueryParam("type") String type,
      @QueryParam("limit") String limit) {
    FeedRequest request = FeedRequest.parse(cursor, after, type, limit);
    String tenantId = Callers.of(security).tenantId();
    long purged = events.purgedPosition(tenantId);
    if (request.after() != null && request.after() < purged) {
      throw ProblemException.purged("events after this cursor were removed by retention (finished"
          + " deliveries and their events are kept for a limited time); the feed goes on from"
          + " nextCursor", FeedRequest.encode(purged));
    }
    List<FeedEntry> entries =
        events.feed(tenantId, Math.max(request.start(), purged), request.type(), request.limit());
    String next =
        entries.isEmpty()
            ? (request.after() == null ? null : FeedRequest.encode(request.after()))
            : FeedRequest.encode(entries.get(entries.size() - 1).position());
    return new Feed(entries.stream().map(e -> FeedEvent.of(e.event(), json)).toList(), next);
  }
}
