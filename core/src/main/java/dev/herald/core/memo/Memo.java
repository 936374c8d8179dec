package dev.herald.core.memo;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Remembers the results of a pure function (the same input always gives the same result), up to {@code capacity} inputs; past that it forgets them all and starts again. For
 * values read again and again from PostgreSQL, such as a subscription's sealed secret or its JSON
 * columns, which every attempt to it reads: the first read computes, the rest look up.
 *
 * <p>Thread-safe. A result is computed at most once per input while remembered, except in a race
 * where two threads compute it together; both get an equal result.
 */
public final class Memo<K, R> {

  private final Function<K, R> compute;
  private final int capacity;
  private final ConcurrentHashMap<K, R> results = new ConcurrentHashMap<>();

  public Memo(int capacity, Function<K, R> compute) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.capacity = capacity;
    this.compute = compute;
  }

  /** {@code compute(input)}, remembered; what it throws is thrown and nothing is remembered. */
  public R get(K input) {
    R known = results.get(input);
    if (known != null) {
      return known;
    }
    R result = compute.apply(input);
    if (result != null) {
      if (results.size() >= capacity) {
        results.clear();
      }
      results.put(input, result);
    }
    return result;
  }

  /** How many inputs it remembers now. */
  public int size() {
    return results.size();
  }
}
