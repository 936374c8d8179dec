package dev.herald.api.errors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * Jersey's own errors (unknown route, wrong method, wrong media type…) as problem documents, so
 * that every error Herald answers has the same shape.
 */
public final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

  @Override
  public Response toResponse(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    if (status >= 500) {
      return new UnexpectedExceptionMapper().toResponse(e);
    }
    Response.StatusType type = Response.Status.fromStatusCode(status);
    String title = type == null ? "Error" : type.getReasonPhrase();
    String detail = status == 404 ? "no such resource" : e.getMessage();
    // Keep headers Jersey set on purpose, e.g. Allow on a 405.
    Response.ResponseBuilder builder =
        Response.status(status)
            .type(Problem.MEDIA_TYPE)
            .entity(Problem.of(status, StatusCodes.of(status), title, detail));
    String allow = e.getResponse().getHeaderString("Allow");
    if (allow != null) {
      builder.header("Allow", allow);
    }
    return builder.build();
  }
}
