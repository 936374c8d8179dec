package dev.herald.api.errors;

import jakarta.ws.rs.core.Response;

/** Builds the HTTP response for a problem. */
public final class ProblemResponses {

  private ProblemResponses() {}

  public static Response of(Problem problem) {
    Response.ResponseBuilder response =
        Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
    if (problem.status() == 401) {
      // RFC 6750: say which scheme the API takes.
      response.header("WWW-Authenticate", "Bearer realm=\"herald\"");
    }
    return response.build();
  }
}
