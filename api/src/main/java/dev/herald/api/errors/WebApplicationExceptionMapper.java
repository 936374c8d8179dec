package dev.herald.api.errors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Set;

/**
 * Jersey's own errors (unknown route, wrong method, wrong media type…) as problem documents, so
 * that every error Herald answers has the same shape, and a detail that says what to do instead:
 * which methods a route allows, which type of body the API accepts.
 */
public final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

  /** The type of every request body the API reads. */
  static final String ACCEPTED_TYPE = MediaType.APPLICATION_JSON;

  /** Methods a detail may name; any other is client input, which a detail never echoes. */
  private static final Set<String> STANDARD_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");

  @Context private Request request;

  @Override
  public Response toResponse(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    if (status >= 500) {
      return new UnexpectedExceptionMapper().toResponse(e);
    }
    Response.StatusType type = Response.Status.fromStatusCode(status);
    String title = type == null ? "Error" : type.getReasonPhrase();
    // Keep headers Jersey set on purpose, e.g. Allow on a 405.
    String allow = e.getResponse().getHeaderString("Allow");
    String detail =
        switch (status) {
          case 404 -> "no such resource";
          case 405 -> notAllowed(allow);
          case 415 -> "the request body must be " + ACCEPTED_TYPE + " (send Content-Type: "
              + ACCEPTED_TYPE + ")";
          default -> e.getMessage();
        };
    Response.ResponseBuilder builder =
        Response.status(status)
            .type(Problem.MEDIA_TYPE)
            .entity(Problem.of(status, StatusCodes.of(status), title, detail));
    if (allow != null) {
      builder.header("Allow", allow);
    }
    return builder.build();
  }

  private String notAllowed(String allow) {
    String method = method();
    String what = method == null ? "this method" : method;
    return allow == null || allow.isBlank()
        ? what + " is not allowed here"
        : what + " is not allowed here; allowed: " + allow.replace(",", ", ").replaceAll(" +", " ");
  }

  private String method() {
    try {
      String method = request == null ? null : request.getMethod();
      return method != null && STANDARD_METHODS.contains(method) ? method : null;
    } catch (IllegalStateException outsideARequest) {
      return null;
    }
  }
}
