package dev.herald.api.errors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;

/**
 * Turns a number the JSON parser cannot represent (e.g. {@code 1e99999999999}, whose exponent
 * overflows {@link java.math.BigDecimal}) into a 400, where Jackson throws a bare {@link
 * NumberFormatException} instead of a parse error.
 */
public final class NumberRangeGuard implements ReaderInterceptor {

  @Override
  public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
    try {
      return context.proceed();
    } catch (NumberFormatException e) {
      throw outOfRange(e);
    }
  }

  /** Parses a body read as text, with the same answer for a number out of range. */
  public static JsonNode readTree(ObjectMapper json, String body) throws IOException {
    try {
      return json.readTree(body);
    } catch (NumberFormatException e) {
      throw outOfRange(e);
    }
  }

  private static ProblemException outOfRange(NumberFormatException e) {
    return new ProblemException(
        Problem.of(400, "invalid_json", "Malformed JSON",
            "the request body holds a number out of range: " + e.getMessage()));
  }
}
