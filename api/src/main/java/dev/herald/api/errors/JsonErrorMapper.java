package dev.herald.api.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * A body that is not JSON, or not JSON of the right shape; or JSON past one of the parser's
 * limits (nesting depth, length of a number, a string or a name), which the answer names with its
 * value so that a client knows what to change.
 */
public final class JsonErrorMapper implements ExceptionMapper<JsonProcessingException> {

  private final StreamReadConstraints limits;

  /** With the limits of the parser that reads request bodies, to name them in answers. */
  public JsonErrorMapper(StreamReadConstraints limits) {
    this.limits = limits;
  }

  @Override
  public Response toResponse(JsonProcessingException e) {
    StreamConstraintsException overLimit = overLimit(e);
    if (overLimit != null) {
      return ProblemResponses.of(
          Problem.of(400, "invalid_json", "Malformed JSON", "the request body " + limit(overLimit)));
    }
    String where =
        e.getLocation() == null
            ? ""
            : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    return ProblemResponses.of(
        Problem.of(400, "invalid_json", "Malformed JSON", "the request body is not valid JSON" + where));
  }

  /** The limit a body went past, found in the exception or what it wraps; null if none. */
  private static StreamConstraintsException overLimit(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StreamConstraintsException limit) {
        return limit;
      }
    }
    return null;
  }

  /**
   * Which limit, told from the parser's message, which names the setting it comes from (e.g.
   * {@code StreamReadConstraints.getMaxNestingDepth()}).
   */
  private String limit(StreamConstraintsException e) {
    String message = String.valueOf(e.getOriginalMessage());
    if (message.contains("NestingDepth")) {
      return "is nested deeper than " + limits.getMaxNestingDepth() + " levels of arrays and objects";
    }
    if (message.contains("NumberLength")) {
      return "holds a number longer than " + limits.getMaxNumberLength() + " characters";
    }
    if (message.contains("StringLength")) {
      return "holds a string longer than " + limits.getMaxStringLength() + " characters";
    }
    if (message.contains("NameLength")) {
      return "holds a property name longer than " + limits.getMaxNameLength() + " characters";
    }
    if (message.contains("DocumentLength")) {
      return "is longer than " + limits.getMaxDocumentLength() + " characters";
    }
    if (message.contains("TokenCount")) {
      return "holds more than " + limits.getMaxTokenCount() + " JSON tokens";
    }
    return "is past a limit of the JSON parser";
  }
}
