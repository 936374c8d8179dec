package dev.herald.api.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.api.auth.RequiresScope;
import dev.herald.api.errors.FieldError;
import dev.herald.api.errors.ProblemException;
import dev.herald.api.oneoff.OneOffDeliveries;
import dev.herald.api.views.DeliveryView;
import dev.herald.api.views.OneOffSpec;
import dev.herald.api.views.Page;
import dev.herald.api.views.PageRequest;
import dev.herald.api.views.SubscriptionDefaults;
import dev.herald.core.db.Position;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryListDao;
import dev.herald.core.delivery.DeliverySearch;
import dev.herald.model.DeliveryStatus;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.tenant.Scope;
import dev.herald.core.tenant.SubscriptionDefaultsDao;
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
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/deliveries}: a tenant's deliveries newest first, by subscription, event,
 * status, kind and creation time, without their attempts (read one delivery for those). {@code
 * POST /v1/deliveries}: a one-off delivery to a URL given on the request.
 */
@Path("/v1/deliveries")
@Produces(MediaType.APPLICATION_JSON)
public final class DeliveriesResource {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

  private final DeliveryListDao deliveries;
  private final OneOffDeliveries oneOff;
  private final SubscriptionDefaultsDao defaults;
  private final ObjectMapper json;

  public DeliveriesResource(
      DeliveryListDao deliveries,
      OneOffDeliveries oneOff,
      SubscriptionDefaultsDao defaults,
      ObjectMapper json) {
    this.deliveries = deliveries;
    this.oneOff = oneOff;
    this.defaults = defaults;
    this.json = json;
  }

  /**
   * Accepts a one-off delivery once its rows are committed, then starts its workflow: 202 with
   * the delivery, the same for a repeat of the same event id. The tenant's subscription defaults
   * (method, signature, header names, body) apply as to a new subscription.
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RequiresScope(Scope.EVENTS_PUBLISH)
  public Response create(@Context SecurityContext security, JsonNode body)
      throws JsonProcessingException {
    String tenantId = Callers.of(security).tenantId();
    JsonNode withDefaults = SubscriptionDefaults.apply(json.readTree(defaults.find(tenantId)), body);
    Delivery accepted = oneOff.accept(tenantId, OneOffSpec.parse(withDefaults, json));
    return Response.status(202).entity(DeliveryView.of(accepted, null)).build();
  }

  @GET
  @RequiresScope(Scope.WEBHOOKS_READ)
  public Page<DeliveryView> list(
      @Context SecurityContext security,
      @QueryParam("subscriptionId") String subscriptionId,
      @QueryParam("eventId") String eventId,
      @QueryParam("status") String status,
      @QueryParam("since") String since,
      @QueryParam("until") String until,
      @QueryParam("kind") String kind,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    List<FieldError> errors = new ArrayList<>();
    DeliverySearch search =
        new DeliverySearch(
            id("subscriptionId", subscriptionId, errors),
            id("eventId", eventId, errors),
            status(status, errors),
            instant("since", since, errors),
            instant("until", until, errors),
            kind(kind, errors));
    PageRequest page = PageRequest.parse(limit, cursor, errors);
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    List<Delivery> fetched =
        deliveries.list(Callers.of(security).tenantId(), search, page.after(), page.limit() + 1);
    Page<Delivery> rows = page.page(fetched, d -> new Position(d.createdAt(), d.id()));
    return new Page<>(rows.data().stream().map(d -> DeliveryView.of(d, null)).toList(), rows.nextCursor());
  }

  private static String id(String name, String value, List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    if (!ID.matcher(value).matches()) {
      errors.add(FieldError.parameter(name, "is not an id"));
    }
    return value;
  }

  private static Subscription.Kind kind(String value, List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    try {
      return Subscription.Kind.of(value);
    } catch (IllegalArgumentException e) {
      errors.add(FieldError.parameter("kind", "must be subscription or one-off"));
      return null;
    }
  }

  private static DeliveryStatus status(String value, List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    return Arrays.stream(DeliveryStatus.values())
        .filter(s -> s.wireName().equals(value))
        .findFirst()
        .orElseGet(() -> {
          errors.add(FieldError.parameter("status",
              "must be one of pending, retrying, succeeded, failed, cancelled, held"));
          return null;
        });
  }

  private static Instant instant(String name, String value, List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      errors.add(FieldError.parameter(name, "must be an RFC 3339 time in UTC, e.g. 2026-11-20T18:00:00Z"));
      return null;
    }
  }
}
