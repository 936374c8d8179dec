package dev.herald.api.errors;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One invalid part of a request: a field of the body, named by {@code pointer}, or a query
 * parameter, named by {@code parameter}.
 *
 * @param pointer a JSON Pointer (RFC 6901) into the request body, e.g. {@code /events/0}
 * @param parameter the name of a query parameter, e.g. {@code limit}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(String pointer, String message, String parameter) {

  /** An invalid field of the body. */
  public FieldError(String pointer, String message) {
    this(pointer, message, null);
  }

  /** An invalid query parameter. */
  public static FieldError parameter(String name, String message) {
    return new FieldError(null, message, name);
  }

  /** Where the error is, for a one-line summary. */
  public String location() {
    return pointer != null ? pointer : "?" + parameter;
  }
}
