package dev.herald.api.resources;

import dev.herald.api.errors.FieldError;
import dev.herald.api.errors.ProblemException;
import dev.herald.core.net.AddressGuard;
import dev.herald.core.net.UrlVerdict;

/** Checks an endpoint URL when it is saved: 422 {@code invalid_url} or {@code blocked_address}. */
public final class UrlVetting {

  private final AddressGuard guard;

  public UrlVetting(AddressGuard guard) {
    this.guard = guard;
  }

  public void check(String pointer, String url) {
    UrlVerdict verdict = guard.checkUrl(url);
    if (!verdict.isOk()) {
      throw ProblemException.invalid(verdict.code(), new FieldError(pointer, verdict.message()));
    }
  }
}
