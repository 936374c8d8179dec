package dev.herald.api.errors;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Anything unforeseen: a 500 whose detail is only a correlation id, which is in the log. */
public final class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

  private static final Logger log = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

  @Override
  public Response toResponse(Throwable e) {
    String correlationId = UUID.randomUUID().toString();
    log.error("internal error {}", correlationId, e);
    return ProblemResponses.of(
        Problem.of(500, "internal", "Internal error", "correlation id " + correlationId));
  }
}
