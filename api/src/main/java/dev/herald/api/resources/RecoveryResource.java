package dev.herald.api.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.api.auth.RequiresScope;
import dev.herald.api.errors.NumberRangeGuard;
import dev.herald.api.errors.ProblemException;
import dev.herald.api.temporal.Handoff;
import dev.herald.api.views.JsonFields;
import dev.herald.core.job.CreatedJob;
import dev.herald.core.job.JobDao;
import dev.herald.core.job.RecoveryRequest;
import dev.herald.core.tenant.Scope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * {@code POST /v1/subscriptions/{id}/recover}: re-delivers the subscription's deliveries that
 * were {@code failed} in a window of creation times, as a job ({@code GET /v1/jobs/{id}}). Each
 * gets one more attempt through its own delivery workflow, at most {@code
 * delivery.recoveryRatePerSecond} a second; the job does not wait for those attempts.
 */
@Path("/v1/subscriptions/{id}/recover")
@Produces(MediaType.APPLICATION_JSON)
public final class RecoveryResource {

  /** The longest window one job may cover. */
  public static final Duration MAX_WINDOW = Duration.ofDays(30);

  private final JobDao jobs;
  private final Handoff handoff;
  private final ObjectMapper json;
  private final Clock clock;

  public RecoveryResource(JobDao jobs, Handoff handoff, ObjectMapper json, Clock clock) {
    this.jobs = jobs;
    this.handoff = handoff;
    this.json = json;
    this.clock = clock;
  }

  /** The answer: the job to follow at {@code /v1/jobs/{jobId}}. */
  public record Accepted(String jobId) {}

  // Read as text, like rotate-secret, so that an empty body gets the same 422 as a missing field.
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RequiresScope(Scope.WEBHOOKS_WRITE)
  public Response recover(
      @Context SecurityContext security, @PathParam("id") String id, String body) throws IOException {
    JsonFields f =
        new JsonFields(NumberRangeGuard.readTree(json, body == null || body.isBlank() ? "{}" : body));
    f.refuseUnknown(Set.of("since", "until"));
    Instant since = f.instant("since", true);
    Instant until = f.instant("until", false);
    Instant now = clock.instant();
    if (since != null && (until != null || !f.has("until"))) {
      Instant end = until == null ? now : until;
      if (!since.isBefore(end)) {
        f.error("/since", until == null ? "must be in the past" : "must be before until");
      } else if (Duration.between(since, end).compareTo(MAX_WINDOW) > 0) {
        f.error("/since", "must be at most " + MAX_WINDOW.toDays() + " days before "
            + (until == null ? "now" : "until"));
      }
    }
    f.throwIfInvalid();
    String tenantId = Callers.of(security).tenantId();
    CreatedJob result =
        jobs.createRecovery(new RecoveryRequest(tenantId, id, since, until), now)
            .orElseThrow(() -> ProblemException.notFound("subscription", id));
    if (result.created()) {
      handoff.recover(result.job());
    }
    return Response.status(202)
        .location(URI.create("/v1/jobs/" + result.job().id()))
        .entity(new Accepted(result.job().id()))
        .build();
  }
}
