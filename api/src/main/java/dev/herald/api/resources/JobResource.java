package dev.herald.api.resources;

import dev.herald.api.auth.RequiresScope;
import dev.herald.api.errors.ProblemException;
import dev.herald.api.views.JobView;
import dev.herald.core.job.JobDao;
import dev.herald.core.tenant.Scope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/** {@code GET /v1/jobs/{id}}: a job's progress, from PostgreSQL (never from Temporal). */
@Path("/v1/jobs/{id}")
@Produces(MediaType.APPLICATION_JSON)
public final class JobResource {

  private final JobDao jobs;

  public JobResource(JobDao jobs) {
    this.jobs = jobs;
  }

  @GET
  @RequiresScope(Scope.WEBHOOKS_READ)
  public JobView get(@Context SecurityContext security, @PathParam("id") String id) {
    return jobs.find(Callers.of(security).tenantId(), id)
        .map(JobView::of)
        .orElseThrow(() -> ProblemException.notFound("job", id));
  }
}
