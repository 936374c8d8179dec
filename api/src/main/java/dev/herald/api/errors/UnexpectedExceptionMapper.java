package dev.herald.api.errors;

import dev.herald.api.health.DatabaseFaults;
import dev.herald.api.health.DatabaseOutage;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anything unforeseen: a 500 whose detail is only a correlation id, which is in the log. An
 * exception that says PostgreSQL cannot be reached is no bug but an outage: 503 {@code
 * unavailable} with {@code Retry-After}, logged once per outage by {@link DatabaseOutage}.
 */
public final class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

  private static final Logger log = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

  private final DatabaseOutage outage;

  /** Every exception is a 500 (for errors that cannot come from the database). */
  public UnexpectedExceptionMapper() {
    this(null);
  }

  /** An exception that says PostgreSQL is unreachable is a 503, and part of {@code outage}. */
  public UnexpectedExceptionMapper(DatabaseOutage outage) {
    this.outage = outage;
  }

  @Override
  public Response toResponse(Throwable e) {
    String unreachable = outage == null ? null : DatabaseFaults.unreachable(e);
    if (unreachable != null) {
      outage.unreachable(unreachable);
      log.debug("answered 503 unavailable: {}", unreachable);
      return unavailable();
    }
    String correlationId = UUID.randomUUID().toString();
    log.error("internal error {}", correlationId, e);
    return ProblemResponses.of(
        Problem.of(500, "internal", "Internal error", "correlation id " + correlationId));
  }

  /** The answer while PostgreSQL is unreachable. */
  static Response unavailable() {
    int seconds = DatabaseOutage.RETRY_AFTER_SECONDS;
    return Response.fromResponse(
            ProblemResponses.of(
                Problem.of(503, "unavailable", "Service unavailable",
                    "Herald cannot reach its database; retry in " + seconds + " seconds")))
        .header("Retry-After", String.valueOf(seconds))
        .build();
  }
}
