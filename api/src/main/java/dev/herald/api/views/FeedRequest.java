package dev.herald.api.views;

import dev.herald.api.errors.FieldError;
import dev.herald.api.errors.ProblemException;
import dev.herald.core.subscription.EventTypePattern;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The query of {@code GET /v1/events}: {@code ?cursor=&type=&limit=}, where {@code after} is
 * another name for {@code cursor} (the feed's first name for it; giving both with different
 * values is refused). The cursor is opaque to clients: a position in the tenant's feed, meaning
 * "the events after this one".
 *
 * @param after the position the page starts after, or null when the client gave none (the feed's
 *     start)
 * @param type an exact event type or a prefix ending in {@code *}, or null for every type
 */
public record FeedRequest(Long after, String type, int limit) {

  private static final String PREFIX = "feed:";
  private static final Pattern POSITION = Pattern.compile(PREFIX + "(0|[1-9][0-9]{0,17})");

  /**
   * Parses the query parameters: 422 {@code invalid_request} naming every wrong one.
   *
   * @param cursor the {@code cursor} parameter, as every list names it
   * @param after the {@code after} parameter, the same cursor under the feed's first name
   */
  public static FeedRequest parse(String cursor, String after, String type, String limit) {
    List<FieldError> errors = new ArrayList<>();
    int n = PageRequest.parse(limit, null, errors).limit();
    boolean hasCursor = cursor != null && !cursor.isEmpty();
    boolean hasAfter = after != null && !after.isEmpty();
    String given = hasCursor ? cursor : after;
    String name = hasCursor ? "cursor" : "after";
    Long position = null;
    if (hasCursor && hasAfter && !cursor.equals(after)) {
      errors.add(FieldError.parameter(
          "after", "is another name for cursor: give one of them, or both with the same value"));
    } else if (given != null && !given.isEmpty()) {
      position = decode(given);
      if (position == null) {
        errors.add(FieldError.parameter(name, "is not a cursor this feed gave"));
      }
    }
    if (type != null
        && !EventTypePattern.TYPE.matcher(type).matches()
        && !EventTypePattern.isValidPattern(type)) {
      errors.add(FieldError.parameter(
          "type", "must be an event type such as order.paid, or a prefix ending in * such as order.*"));
    }
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    return new FeedRequest(position, type, n);
  }

  /** Where the feed starts: after {@link #after}, or at the tenant's first event. */
  public long start() {
    return after == null ? 0 : after;
  }

  /** The cursor for the events after {@code position}. */
  public static String encode(long position) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((PREFIX + position).getBytes(StandardCharsets.UTF_8));
  }

  static Long decode(String cursor) {
    try {
      Matcher m = POSITION.matcher(
          new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
      return m.matches() ? Long.valueOf(m.group(1)) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
