package dev.herald.api.resources;

import dev.herald.api.auth.Caller;
import jakarta.ws.rs.core.SecurityContext;

/** The authenticated caller of a request. */
final class Callers {

  private Callers() {}

  static Caller of(SecurityContext security) {
    return (Caller) security.getUserPrincipal();
  }
}
