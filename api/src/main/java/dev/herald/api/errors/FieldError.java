package dev.herald.api.errors;

/**
 * One invalid field of a request.
 *
 * @param pointer a JSON Pointer (RFC 6901) into the request body, e.g. {@code /events/0}
 */
public record FieldError(String pointer, String message) {}
