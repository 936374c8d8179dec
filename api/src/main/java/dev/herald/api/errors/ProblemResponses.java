package dev.herald.api.errors;

import jakarta.ws.rs.core.Response;

/** Builds the HTTP response for a problem. */
public final class ProblemResponses {

  private ProblemResponses() {}

  public static Response of(Problem problem) {
    return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
  }
}
