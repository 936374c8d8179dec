package dev.herald.api.views;

import dev.herald.api.errors.FieldError;
import dev.herald.api.errors.ProblemException;
import dev.herald.core.db.Position;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code ?limit=} and {@code ?cursor=} of a list. A cursor is opaque to clients: the
 * creation time and id of the last item of the previous page, so that items created meanwhile
 * neither shift nor repeat a page.
 *
 * @param after the position the page starts after, or null for the first page
 */
public record PageRequest(int limit, Position after) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 100;

  /**
   * The last millisecond of the year 9999: a cursor past it was not given by Herald, and its time
   * is beyond what PostgreSQL can compare (a forged one would otherwise fail in the query).
   */
  static final long MAX_CURSOR_MILLIS = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();

  /** Parses the query parameters: 422 {@code invalid_request} naming the parameter when wrong. */
  public static PageRequest parse(String limit, String cursor) {
    List<FieldError> errors = new ArrayList<>();
    PageRequest page = parse(limit, cursor, errors);
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    return page;
  }

  /**
   * Parses the query parameters, adding what is wrong with them to {@code errors} (for a list
   * with filters of its own, to answer every wrong parameter at once); a wrong one reads as its
   * default meanwhile.
   */
  public static PageRequest parse(String limit, String cursor, List<FieldError> errors) {
    int n = DEFAULT_LIMIT;
    if (limit != null) {
      try {
        n = Integer.parseInt(limit.trim());
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 1 || n > MAX_LIMIT) {
        errors.add(FieldError.parameter("limit", "must be an integer from 1 to " + MAX_LIMIT));
        n = DEFAULT_LIMIT;
      }
    }
    Position after = null;
    if (cursor != null && !cursor.isEmpty()) {
      after = decode(cursor);
      if (after == null) {
        errors.add(FieldError.parameter("cursor", "is not a cursor this list gave"));
      }
    }
    return new PageRequest(n, after);
  }

  /**
   * The page of {@code fetched}, which holds up to {@code limit + 1} items: the extra one only
   * says that there is a next page.
   */
  public <T> Page<T> page(List<T> fetched, Function<T, Position> position) {
    if (fetched.size() <= limit) {
      return new Page<>(fetched, null);
    }
    List<T> data = fetched.subList(0, limit);
    return new Page<>(List.copyOf(data), encode(position.apply(data.get(limit - 1))));
  }

  static String encode(Position p) {
    String raw = p.createdAt().toEpochMilli() + ":" + p.id();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  static Position decode(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int colon = raw.indexOf(':');
      if (colon < 1 || colon == raw.length() - 1) {
        return null;
      }
      String id = raw.substring(colon + 1);
      if (!id.matches("[a-z]{2,5}_[0-9a-z]{1,64}")) {
        return null;
      }
      long millis = Long.parseLong(raw.substring(0, colon));
      return millis < 0 || millis > MAX_CURSOR_MILLIS ? null : new Position(Instant.ofEpochMilli(millis), id);
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      return null;
    }
  }
}
