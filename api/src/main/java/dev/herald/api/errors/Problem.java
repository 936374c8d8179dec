package dev.herald.api.errors;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem document with Herald's stable {@code code}.
 *
 * @param errors only on a 422: one item per invalid field
 * @param nextCursor only on a 410 {@code purged} of the event feed: the cursor to go on from
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type, String title, int status, String detail, String code, List<FieldError> errors,
    String nextCursor) {

  public static final String MEDIA_TYPE = "application/problem+json";

  public static Problem of(int status, String code, String title, String detail) {
    return new Problem("https://herald.dev/problems/" + code, title, status, detail, code, null, null);
  }
}
