package dev.herald.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.api.auth.RequiresScope;
import dev.herald.api.errors.Problem;
import dev.herald.api.errors.ProblemException;
import dev.herald.api.views.EventSpec;
import dev.herald.api.views.WireFormatSpec;
import dev.herald.core.batch.BatchBody;
import dev.herald.core.batch.BatchMember;
import dev.herald.core.event.EventEnvelope;
import dev.herald.core.event.EventRequest;
import dev.herald.core.subscription.AttemptShape;
import dev.herald.core.subscription.BuiltRequest;
import dev.herald.core.subscription.EndpointAuth;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.subscription.SubscriptionDao;
import dev.herald.core.subscription.WireFormat;
import dev.herald.core.template.TemplateException;
import dev.herald.core.template.TemplateInput;
import dev.herald.core.tenant.Scope;
import dev.herald.model.DeliveryStatus;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /v1/subscriptions/{id}/preview}: the exact method, headers (signature values shown)
 * and body that this subscription would send for the event in the request body, as its first
 * attempt made now; nothing is stored or sent. With {@code "with": {"body": {"format":
 * "template", "template": "…"}}} (any of method, signature, headerNames, body) it shows what the
 * subscription would send with those, before they are saved. A body template that fails for the
 * event answers 422 {@code template_failed} with the message its attempt would record. A batched
 * subscription shows a batch of this one event ({@code bat_preview}).
 */
@Path("/v1/subscriptions/{id}/preview")
@Produces(MediaType.APPLICATION_JSON)
public final class SubscriptionPreviewResource {

  /** The delivery id a preview shows; a real delivery's is {@code dlv_…}. */
  static final String PREVIEW_DELIVERY_ID = "dlv_preview";

  /** The batch id a batched subscription's preview shows; a real batch's is {@code bat_…}. */
  static final String PREVIEW_BATCH_ID = "bat_preview";

  private final SubscriptionDao subscriptions;
  private final ObjectMapper json;
  private final Clock clock;

  public SubscriptionPreviewResource(SubscriptionDao subscriptions, ObjectMapper json, Clock clock) {
    this.subscriptions = subscriptions;
    this.json = json;
    this.clock = clock;
  }

  /**
   * A batched subscription's request for a batch of this one event: {@code {"isBatched": true,
   * "events": [<its body>]}}, as the batch's first attempt would build it.
   */
  private static BuiltRequest asBatch(
      WireFormat wire, Subscription s, String eventId, EventRequest event, String payload) {
    BatchMember member =
        new BatchMember(PREVIEW_DELIVERY_ID, eventId, event.type(), DeliveryStatus.PENDING, payload,
            event.attributes());
    BatchBody.Rendered rendered = BatchBody.render(wire.body(), List.of(member), s.id(), s.name());
    if (!rendered.unrenderable().isEmpty()) {
      throw rendered.unrenderable().get(member);
    }
    return new BuiltRequest(wire.method(), wire.signature(), wire.headerNames(),
        wire.body().apiName(), rendered.body());
  }

  /** The answer: what would be sent. */
  public record Preview(String method, String url, List<AttemptShape.Header> headers, String body) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RequiresScope(Scope.WEBHOOKS_WRITE)
  public Preview preview(@Context SecurityContext security, @PathParam("id") String id, JsonNode body) {
    Subscription s =
        subscriptions
            .find(Callers.of(security).tenantId(), id)
            .orElseThrow(() -> ProblemException.notFound("subscription", id));
    EventRequest event = EventSpec.parse(body, Set.of("with"));
    JsonNode with = body.get("with");
    WireFormat wire =
        with == null || with.isNull()
            ? s.wire()
            : WireFormatSpec.override(with, "/with", s.wire(), s.headers().values());
    Instant now = clock.instant();
    String eventId = event.id() == null ? "evt_preview" : event.id();
    String payload = EventEnvelope.of(json, eventId, event.type(), now, event.data());
    BuiltRequest built;
    try {
      built = s.batch() == null
          ? BuiltRequest.build(wire, new TemplateInput(payload, event.attributes(), s.id(), s.name()))
          : asBatch(wire, s, eventId, event, payload);
    } catch (TemplateException e) {
      // What a delivery of this event would record as its attempt's error, said at once.
      throw new ProblemException(
          Problem.of(422, "template_failed", "The body template failed for this event",
              e.getMessage()));
    }
    String deliveryId = s.batch() == null ? PREVIEW_DELIVERY_ID : PREVIEW_BATCH_ID;
    AttemptShape shape =
        AttemptShape.of(s, built, s.batch() == null ? eventId : PREVIEW_BATCH_ID, event.type(),
            deliveryId, 1, now);
    if (s.auth() instanceof EndpointAuth.OAuth2ClientCredentials) {
      // The token is fetched when an attempt is sent; a preview sends nothing.
      shape = shape.withAuthorization("Bearer <token>");
    }
    shape = shape.withCredentialsHidden(s.auth(), s.headers());
    return new Preview(shape.method(), shape.url(), shape.headers(),
        new String(shape.body(), StandardCharsets.UTF_8));
  }
}
