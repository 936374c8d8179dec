package dev.herald.api.errors;

import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.ZipException;

/**
 * Turns a body that is not gzip though its {@code Content-Encoding} says so into a 400 {@code
 * invalid_encoding}. The server inflates such a body as it is read, and fails on bytes that are
 * not gzip with a bare exception, which would otherwise be a 500.
 */
public final class ContentEncodingGuard implements ReaderInterceptor {

  @Override
  public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
    try {
      return context.proceed();
    } catch (IOException | RuntimeException e) {
      if (!(e instanceof ProblemException) && undecodable(e)) {
        // The server inflates gzip only, and drops the header once it has taken the body on.
        throw new ProblemException(
            Problem.of(400, "invalid_encoding", "Undecodable body",
                "the request body is not gzip, as its Content-Encoding: gzip says; send it"
                    + " uncompressed without Content-Encoding, or compressed with gzip"));
      }
      throw e;
    }
  }

  private static boolean undecodable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ZipException || t instanceof DataFormatException) {
        return true;
      }
    }
    return false;
  }
}
