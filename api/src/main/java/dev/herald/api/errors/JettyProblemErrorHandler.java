package dev.herald.api.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.setup.Environment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the errors Jetty answers itself, before or around Jersey (a malformed or ambiguous URI, a
 * request line or headers too large, a bad Host header), as the same problem document as every
 * other Herald error, whatever the client accepts.
 */
public final class JettyProblemErrorHandler extends ErrorHandler {

  private static final Logger log = LoggerFactory.getLogger(JettyProblemErrorHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Installs one handler on the server, for what fails before a context is chosen, and on the
   * application and admin contexts, for what fails inside them.
   */
  public static void install(Environment environment) {
    JettyProblemErrorHandler handler = new JettyProblemErrorHandler();
    environment.getApplicationContext().setErrorHandler(handler);
    environment.getAdminContext().setErrorHandler(handler);
    // The server is built after run(); Dropwizard gives it its own handler, replaced here.
    environment
        .lifecycle()
        .addEventListener(
            new LifeCycle.Listener() {
              @Override
              public void lifeCycleStarting(LifeCycle event) {
                if (event instanceof Server server) {
                  server.setErrorHandler(handler);
                }
              }
            });
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    String message = (String) request.getAttribute(ERROR_MESSAGE);
    Throwable cause = (Throwable) request.getAttribute(ERROR_EXCEPTION);
    if (cause instanceof HttpException http) {
      status = http.getCode();
      response.setStatus(status);
      if (message == null) {
        message = http.getReason();
      }
    }
    if (HttpStatus.hasNoBody(status)) {
      callback.succeeded();
      return true;
    }
    response.getHeaders().put(ERROR_CACHE_CONTROL);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    response.write(true, ByteBuffer.wrap(body(status, message, cause)), callback);
    return true;
  }

  /** The body Jetty sends when it cannot even make a request out of what arrived. */
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    return ByteBuffer.wrap(body(status, reason, null));
  }

  static byte[] body(int status, String message, Throwable cause) {
    String title = HttpStatus.getMessage(status);
    String detail;
    if (status == 500) {
      String correlationId = UUID.randomUUID().toString();
      log.error("internal error {}: {}", correlationId, message, cause);
      detail = "correlation id " + correlationId;
    } else {
      detail = message == null || message.isBlank() ? title : message;
    }
    try {
      return JSON.writeValueAsBytes(Problem.of(status, StatusCodes.of(status), title, detail));
    } catch (JsonProcessingException e) {
      // A record of strings and an int always serializes.
      return ("{\"status\":" + status + "}").getBytes(StandardCharsets.US_ASCII);
    }
  }
}
