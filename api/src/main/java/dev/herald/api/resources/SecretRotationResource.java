package dev.herald.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.api.auth.RequiresScope;
import dev.herald.api.errors.NumberRangeGuard;
import dev.herald.api.errors.ProblemException;
import dev.herald.api.views.JsonFields;
import dev.herald.core.signing.WebhookSigner;
import dev.herald.core.subscription.SubscriptionDao;
import dev.herald.core.tenant.Scope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * {@code POST /v1/subscriptions/{id}/rotate-secret}: a new signing secret, shown this once. With
 * {@code graceSeconds} above zero the old secret keeps signing too (two {@code v1,} entries) until
 * the grace ends, so the endpoint can switch without refusing a webhook; with 0 (the default) it
 * stops at once.
 */
@Path("/v1/subscriptions/{id}/rotate-secret")
@Produces(MediaType.APPLICATION_JSON)
public final class SecretRotationResource {

  /** The longest grace: a week. */
  public static final int MAX_GRACE_SECONDS = 604_800;

  private final SubscriptionDao subscriptions;
  private final ObjectMapper json;
  private final Clock clock;

  public SecretRotationResource(SubscriptionDao subscriptions, ObjectMapper json, Clock clock) {
    this.subscriptions = subscriptions;
    this.json = json;
    this.clock = clock;
  }

  /** The answer: the new secret. */
  public record RotatedSecret(String secret) {}

  // The body is optional ({} or none at all), so it is read as text rather than bound as JSON.
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RequiresScope(Scope.WEBHOOKS_WRITE)
  public RotatedSecret rotate(
      @Context SecurityContext security, @PathParam("id") String id, String body) throws IOException {
    int grace = 0;
    if (body != null && !body.isBlank()) {
      JsonFields f = new JsonFields(NumberRangeGuard.readTree(json, body));
      f.refuseUnknown(Set.of("graceSeconds"));
      grace = f.integer("graceSeconds", 0, MAX_GRACE_SECONDS, 0);
      f.throwIfInvalid();
    }
    String secret = WebhookSigner.newSecret();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Instant previousUntil = grace == 0 ? null : now.plusSeconds(grace);
    subscriptions
        .modify(Callers.of(security).tenantId(), id,
            s -> s.withRotatedSecret(secret, previousUntil, now))
        .orElseThrow(() -> ProblemException.notFound("subscription", id));
    return new RotatedSecret(secret);
  }

}
