package dev.herald.api.resources;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.api.auth.RequiresScope;
import dev.herald.api.errors.NumberRangeGuard;
import dev.herald.api.views.JsonFields;
import dev.herald.core.signing.WebhookSigner;
import dev.herald.core.tenant.OneOffSecretDao;
import dev.herald.core.tenant.Scope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
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
 * {@code POST /v1/one-off-secret}: a new signing secret for the tenant's one-off deliveries that
 * bring none of their own, shown this once. The first call creates it; later calls rotate it, and
 * with {@code graceSeconds} above zero the replaced secret keeps signing too (a second {@code v1,}
 * signature) until the grace ends. A one-off delivery keeps the secrets it was accepted with.
 */
@Path("/v1/one-off-secret")
@Produces(MediaType.APPLICATION_JSON)
public final class OneOffSecretResource {

  private final OneOffSecretDao secrets;
  private final ObjectMapper json;
  private final Clock clock;

  public OneOffSecretResource(OneOffSecretDao secrets, ObjectMapper json, Clock clock) {
    this.secrets = secrets;
    this.json = json;
    this.clock = clock;
  }

  /** The answer: the new secret, and until when the one it replaced still signs. */
  public record OneOffSecret(
      String secret, @JsonInclude(JsonInclude.Include.NON_NULL) Instant previousSecretExpiresAt) {}

  // The body is optional ({} or none at all), so it is read as text rather than bound as JSON.
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RequiresScope(Scope.WEBHOOKS_WRITE)
  public OneOffSecret rotate(@Context SecurityContext security, String body) throws IOException {
    int grace = 0;
    if (body != null && !body.isBlank()) {
      JsonFields f = new JsonFields(NumberRangeGuard.readTree(json, body));
      f.refuseUnknown(Set.of("graceSeconds"));
      grace = f.integer("graceSeconds", 0, SecretRotationResource.MAX_GRACE_SECONDS, 0);
      f.throwIfInvalid();
    }
    String tenantId = Callers.of(security).tenantId();
    String secret = WebhookSigner.newSecret();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    boolean hadOne = secrets.find(tenantId).isPresent();
    Instant previousUntil = grace == 0 || !hadOne ? null : now.plusSeconds(grace);
    secrets.rotate(tenantId, secret, previousUntil);
    return new OneOffSecret(secret, previousUntil);
  }
}
