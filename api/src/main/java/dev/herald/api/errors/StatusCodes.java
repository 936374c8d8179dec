package dev.herald.api.errors;

import java.util.Map;

/**
 * The stable {@code code} of a problem that has nothing more precise to say than its HTTP status,
 * shared by Jersey's and Jetty's errors so that one status always reads the same.
 */
public final class StatusCodes {

  private static final Map<Integer, String> CODES =
      Map.ofEntries(
          Map.entry(400, "bad_request"),
          Map.entry(401, "unauthenticated"),
          Map.entry(403, "forbidden"),
          Map.entry(404, "not_found"),
          Map.entry(405, "method_not_allowed"),
          Map.entry(406, "not_acceptable"),
          Map.entry(408, "request_timeout"),
          Map.entry(411, "length_required"),
          Map.entry(413, "payload_too_large"),
          Map.entry(414, "uri_too_long"),
          Map.entry(415, "unsupported_media_type"),
          Map.entry(417, "expectation_failed"),
          Map.entry(431, "request_header_fields_too_large"),
          Map.entry(500, "internal"),
          Map.entry(501, "not_implemented"),
          Map.entry(503, "unavailable"),
          Map.entry(505, "http_version_not_supported"));

  private StatusCodes() {}

  /** The code for a status; an unlisted 4xx is {@code bad_request}, an unlisted 5xx {@code internal}. */
  public static String of(int status) {
    return CODES.getOrDefault(status, status >= 500 ? "internal" : "bad_request");
  }
}
