package dev.herald.core.subscription;

import java.util.regex.Pattern;

/** Event types and the patterns subscriptions use to choose them. */
public final class EventTypePattern {

  /** A valid event type: lower-case letters, digits, {@code _ . -}, at most 128 characters. */
  public static final Pattern TYPE = Pattern.compile("[a-z0-9_.-]{1,128}");

  private static final Pattern PATTERN = Pattern.compile("\\*|[a-z0-9_.-]{1,127}\\*?");

  private EventTypePattern() {}

  /** Whether {@code pattern} is an exact type, {@code *}, or a prefix ending in {@code *}. */
  public static boolean isValidPattern(String pattern) {
    return pattern != null && pattern.length() <= 128 && PATTERN.matcher(pattern).matches();
  }

  /** {@code order.*} matches {@code order.paid}; {@code *} matches everything. */
  public static boolean matches(String pattern, String type) {
    if (pattern.endsWith("*")) {
      return type.startsWith(pattern.substring(0, pattern.length() - 1));
    }
    return pattern.equals(type);
  }
}
