package dev.herald.api.resources;

import dev.herald.api.auth.RequiresScope;
import dev.herald.api.errors.FieldError;
import dev.herald.api.errors.ProblemException;
import dev.herald.api.views.SubscriptionStatsView;
import dev.herald.core.stats.AttemptStatsDao;
import dev.herald.core.stats.StatsWindow;
import dev.herald.core.tenant.Scope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * {@code GET /v1/subscriptions/{id}/stats}: the subscription's attempts over a recent window,
 * summed from the statistics kept per 5-minute bucket (never from the attempts themselves).
 */
@Path("/v1/subscriptions/{id}/stats")
@Produces(MediaType.APPLICATION_JSON)
public final class SubscriptionStatsResource {

  private final AttemptStatsDao stats;
  private final Clock clock;

  public SubscriptionStatsResource(AttemptStatsDao stats, Clock clock) {
    this.stats = stats;
    this.clock = clock;
  }

  /** {@code ?window=} is {@code 1h}, {@code 24h} (when absent) or {@code 7d}. */
  @GET
  @RequiresScope(Scope.WEBHOOKS_READ)
  public SubscriptionStatsView get(
      @Context SecurityContext security,
      @PathParam("id") String id,
      @QueryParam("window") String window) {
    StatsWindow w =
        window == null
            ? StatsWindow.DEFAULT
            : StatsWindow.of(window).orElseThrow(() -> ProblemException.invalid(List.of(
                FieldError.parameter("window", "must be one of " + StatsWindow.names()))));
    return stats
        .read(Callers.of(security).tenantId(), id, w, clock.instant().truncatedTo(ChronoUnit.MILLIS))
        .map(SubscriptionStatsView::of)
        .orElseThrow(() -> ProblemException.notFound("subscription", id));
  }
}
