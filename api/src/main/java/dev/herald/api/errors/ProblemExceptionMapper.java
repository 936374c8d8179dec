package dev.herald.api.errors;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@link ProblemException} as {@code application/problem+json}, and at DEBUG what was
 * answered: a client's mistake is not Herald's trouble, but an operator chasing one can see it.
 * A problem's detail never echoes what the client sent.
 */
public final class ProblemExceptionMapper implements ExceptionMapper<ProblemException> {

  private static final Logger log = LoggerFactory.getLogger(ProblemExceptionMapper.class);

  @Override
  public Response toResponse(ProblemException e) {
    Problem p = e.problem();
    log.debug("answered {} {}: {}", p.status(), p.code(), p.detail());
    return ProblemResponses.of(p);
  }
}
