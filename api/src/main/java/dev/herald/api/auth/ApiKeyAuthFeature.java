package dev.herald.api.auth;

import dev.herald.api.errors.Problem;
import dev.herald.api.errors.ProblemException;
import dev.herald.core.metrics.HeraldMetrics;
import dev.herald.core.tenant.ApiKey;
import dev.herald.core.tenant.KeyOwner;
import dev.herald.core.tenant.Scope;
import dev.herald.core.tenant.Tenant;
import dev.herald.core.tenant.TenantDao;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.time.Duration;

/**
 * Authenticates every method marked {@link RequiresScope} with a bearer API key and checks the
 * key's scope and the tenant's switch; the {@link Caller} is then the request's principal.
 */
public final class ApiKeyAuthFeature implements DynamicFeature {

  private final CachedKeys keys;
  private final HeraldMetrics metrics;

  /**
   * @param cacheFor how long a key and its tenant, once read, are trusted without reading them
   *     again: a revoked key or a switched-off tenant stops working within this time (zero: at once)
   */
  public ApiKeyAuthFeature(TenantDao tenants, Duration cacheFor, HeraldMetrics metrics) {
    this.keys = new CachedKeys(tenants, cacheFor);
    this.metrics = metrics;
  }

  @Override
  public void configure(ResourceInfo resourceInfo, FeatureContext context) {
    RequiresScope required = resourceInfo.getResourceMethod().getAnnotation(RequiresScope.class);
    if (required != null) {
      context.register(new Filter(required.value()));
    }
  }

  @Priority(Priorities.AUTHENTICATION)
  private final class Filter implements ContainerRequestFilter {

    private final Scope scope;

    Filter(Scope scope) {
      this.scope = scope;
    }

    @Override
    public void filter(ContainerRequestContext request) {
      String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
      if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        throw unauthenticated("no_key", "send an API key as 'Authorization: Bearer hrk_…'");
      }
      KeyOwner found =
          keys.find(header.substring(7).trim())
              .orElseThrow(() -> unauthenticated("unknown_key", "the API key is unknown or revoked"));
      ApiKey key = found.key();
      Tenant tenant = found.tenant();
      if (!tenant.webhooksEnabled()) {
        metrics.authRefused("webhooks_disabled");
        throw new ProblemException(
            Problem.of(403, "webhooks_disabled", "Webhooks disabled",
                "webhooks are switched off for this tenant"));
      }
      if (!key.scopes().contains(scope)) {
        metrics.authRefused("insufficient_scope");
        throw new ProblemException(
            Problem.of(403, "insufficient_scope", "Insufficient scope",
                "this key lacks the scope " + scope.wireName()));
      }
      Caller caller = new Caller(tenant.id(), key.prefix(), key.scopes());
      boolean secure = request.getSecurityContext().isSecure();
      request.setSecurityContext(
          new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
              return caller;
            }

            @Override
            public boolean isUserInRole(String role) {
              return Scope.fromWireName(role).map(key.scopes()::contains).orElse(false);
            }

            @Override
            public boolean isSecure() {
              return secure;
            }

            @Override
            public String getAuthenticationScheme() {
              return "Bearer";
            }
          });
    }

    private ProblemException unauthenticated(String reason, String detail) {
      metrics.authRefused(reason);
      return new ProblemException(Problem.of(401, "unauthenticated", "Unauthenticated", detail));
    }
  }
}
