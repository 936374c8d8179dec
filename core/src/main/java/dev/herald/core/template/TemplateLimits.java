package dev.herald.core.template;

import java.time.Duration;

/**
 * How much one rendering of a template may take. A template that goes past any of these fails
 * for that event with error {@code template}; the worker goes on.
 *
 * @param time wall-clock time for one rendering (bounding its CPU time too)
 * @param maxDepth nesting of evaluation: recursion, nested blocks and calls
 * @param allocatedBytes memory the rendering thread may allocate while it evaluates
 * @param maxStringChars the longest string any step may produce
 * @param maxItems the most items any step's array or object may hold
 * @param maxOutputBytes the longest body the template may make
 */
public record TemplateLimits(
    Duration time,
    int maxDepth,
    long allocatedBytes,
    int maxStringChars,
    int maxItems,
    int maxOutputBytes) {

  /** Herald's limits: generous for a message, tight for a loop. */
  public static final TemplateLimits DEFAULT =
      new TemplateLimits(Duration.ofMillis(250), 200, 64L << 20, 256 << 10, 100_000, 256 << 10);

  /** The longest template text a subscription may hold. */
  public static final int MAX_SOURCE_CHARS = 16 << 10;
}
