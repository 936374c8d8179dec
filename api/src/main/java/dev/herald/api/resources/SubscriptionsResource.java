package dev.herald.api.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.api.auth.RequiresScope;
import dev.herald.api.errors.Problem;
import dev.herald.api.errors.ProblemException;
import dev.herald.api.views.Page;
import dev.herald.api.views.PageRequest;
import dev.herald.api.views.SubscriptionDefaults;
import dev.herald.api.views.SubscriptionSpec;
import dev.herald.api.views.SubscriptionView;
import dev.herald.core.db.Position;
import dev.herald.core.ids.Ids;
import dev.herald.core.signing.WebhookSigner;
import dev.herald.core.subscription.EndpointAuth;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.subscription.SubscriptionDao;
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
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** {@code /v1/subscriptions}: creating and listing subscriptions. */
@Path("/v1/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
public final class SubscriptionsResource {

  private final SubscriptionDao subscriptions;
  private final SubscriptionDefaultsDao defaults;
  private final ObjectMapper json;
  private final UrlVetting urls;
  private final Ids ids;
  private final Clock clock;

  public SubscriptionsResource(
      SubscriptionDao subscriptions,
      SubscriptionDefaultsDao defaults,
      ObjectMapper json,
      UrlVetting urls,
      Ids ids,
      Clock clock) {
    this.subscriptions = subscriptions;
    this.defaults = defaults;
    this.json = json;
    this.urls = urls;
    this.ids = ids;
    this.clock = clock;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RequiresScope(Scope.WEBHOOKS_WRITE)
  public Response create(@Context SecurityContext security, JsonNode body)
      throws JsonProcessingException {
    String tenantId = Callers.of(security).tenantId();
    Subscription.Settings settings = SubscriptionSpec.parse(
        SubscriptionDefaults.apply(json.readTree(defaults.find(tenantId)), body));
    urls.check("/url", settings.url());
    if (settings.auth() instanceof EndpointAuth.OAuth2ClientCredentials oauth) {
      urls.check("/auth/tokenUrl", oauth.tokenUrl());
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Subscription s =
        Subscription.create(
            ids.next("sub"), tenantId, settings, WebhookSigner.newSecret(), now);
    if (!subscriptions.insertWithinLimit(s)) {
      throw new ProblemException(
          Problem.of(429, "subscription_limit", "Subscription limit reached",
              "this tenant already has as many subscriptions as it may; delete one first"));
    }
    return Response.status(201).entity(SubscriptionView.withSecret(s)).build();
  }

  /** Newest first; headers are left out (read one subscription to see them). */
  @GET
  @RequiresScope(Scope.WEBHOOKS_READ)
  public Page<SubscriptionView> list(
      @Context SecurityContext security,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    PageRequest page = PageRequest.parse(limit, cursor);
    var fetched =
        subscriptions.list(Callers.of(security).tenantId(), page.after(), page.limit() + 1);
    Page<Subscription> rows = page.page(fetched, s -> new Position(s.createdAt(), s.id()));
    return new Page<>(rows.data().stream().map(SubscriptionView::summary).toList(), rows.nextCursor());
  }
}
