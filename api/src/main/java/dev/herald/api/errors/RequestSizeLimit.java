package dev.herald.api.errors;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Answers 413 for a request body over the limit before it is parsed: at once when Content-Length
 * says so, and while reading when the body is chunked.
 */
@PreMatching
@Priority(Priorities.HEADER_DECORATOR)
public final class RequestSizeLimit implements ContainerRequestFilter {

  private final int maxBytes;

  public RequestSizeLimit(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (request.getLength() > maxBytes) {
      throw tooLarge();
    }
    request.setEntityStream(new Limited(request.getEntityStream()));
  }

  private ProblemException tooLarge() {
    return new ProblemException(
        Problem.of(413, "payload_too_large", "Payload too large",
            "the request body is larger than " + maxBytes + " bytes"));
  }

  private final class Limited extends FilterInputStream {
    private long read;

    Limited(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) {
      read += n;
      if (read > maxBytes) {
        throw tooLarge();
      }
    }
  }
}
