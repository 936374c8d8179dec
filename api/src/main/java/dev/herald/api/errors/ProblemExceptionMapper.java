package dev.herald.api.errors;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** Writes a {@link ProblemException} as {@code application/problem+json}. */
public final class ProblemExceptionMapper implements ExceptionMapper<ProblemException> {

  @Override
  public Response toResponse(ProblemException e) {
    return ProblemResponses.of(e.problem());
  }
}
