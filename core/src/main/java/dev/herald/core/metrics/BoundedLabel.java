package dev.herald.core.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The values one label may take, bounded: the first {@code limit} distinct values are kept as
 * they are and every later one is reported as {@link #OTHER}, so that a tenant inventing event
 * types cannot grow the number of time series without end.
 */
final class BoundedLabel {

  /** What a value past the limit is reported as. */
  static final String OTHER = "_other";

  private final int limit;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  BoundedLabel(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("a label needs room for at least one value");
    }
    this.limit = limit;
  }

  /** {@code value} itself while there is room or once it is known, else {@link #OTHER}. */
  String of(String value) {
    if (value == null) {
      return "";
    }
    if (seen.contains(value)) {
      return value;
    }
    // Racing threads may let the set pass the limit by a few: the bound stays a bound.
    if (seen.size() < limit) {
      seen.add(value);
      return value;
    }
    return OTHER;
  }
}
