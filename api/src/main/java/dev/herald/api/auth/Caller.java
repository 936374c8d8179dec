package dev.herald.api.auth;

import dev.herald.core.tenant.Scope;
import java.security.Principal;
import java.util.Set;

/** Who is calling: the tenant behind the API key, and what the key may do. */
public record Caller(String tenantId, String keyPrefix, Set<Scope> scopes) implements Principal {

  @Override
  public String getName() {
    return keyPrefix;
  }
}
