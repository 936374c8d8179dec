package dev.herald.api.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.api.auth.RequiresScope;
import dev.herald.api.views.SubscriptionDefaults;
import dev.herald.core.tenant.Scope;
import dev.herald.core.tenant.SubscriptionDefaultsDao;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/**
 * {@code /v1/subscription-defaults}: what a tenant's new subscriptions take for {@code method},
 * {@code signature}, {@code headerNames} and {@code body} when they do not name them, so that a
 * platform configures its wire format once.
 */
@Path("/v1/subscription-defaults")
@Produces(MediaType.APPLICATION_JSON)
public final class SubscriptionDefaultsResource {

  private final SubscriptionDefaultsDao defaults;
  private final ObjectMapper json;

  public SubscriptionDefaultsResource(SubscriptionDefaultsDao defaults, ObjectMapper json) {
    this.defaults = defaults;
    this.json = json;
  }

  @GET
  @RequiresScope(Scope.WEBHOOKS_READ)
  public JsonNode get(@Context SecurityContext security) throws JsonProcessingException {
    return json.readTree(defaults.find(Callers.of(security).tenantId()));
  }

  /** Replaces the defaults; existing subscriptions are not changed. */
  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  @RequiresScope(Scope.WEBHOOKS_WRITE)
  public JsonNode put(@Context SecurityContext security, JsonNode body) throws JsonProcessingException {
    JsonNode kept = SubscriptionDefaults.parse(body);
    defaults.save(Callers.of(security).tenantId(), json.writeValueAsString(kept));
    return kept;
  }
}
