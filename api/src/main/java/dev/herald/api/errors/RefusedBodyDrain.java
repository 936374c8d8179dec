package dev.herald.api.errors;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Reads and discards the body of a request that was refused before it was read (no key, wrong
 * scope, unknown route), so that the connection stays usable. Jetty cannot keep a connection
 * whose request body is still arriving when the answer is sent, and closes it after the answer:
 * a pooled client that sends its next request on that connection then sees it cut off. A body
 * over the size limit is not read; the answer says {@code Connection: close} instead.
 */
public final class RefusedBodyDrain implements ContainerResponseFilter {

  private final int maxBytes;

  public RefusedBodyDrain(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (response.getStatus() < 400) {
      return;
    }
    if (request.getLength() > maxBytes) {
      response.getHeaders().putSingle("Connection", "close");
      return;
    }
    try {
      // Within the limit: RequestSizeLimit's stream stops a chunked body at maxBytes.
      request.getEntityStream().transferTo(OutputStream.nullOutputStream());
    } catch (IOException | RuntimeException e) {
      response.getHeaders().putSingle("Connection", "close");
    }
  }
}
