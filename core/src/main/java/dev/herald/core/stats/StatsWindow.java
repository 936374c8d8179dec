package dev.herald.core.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How far back a subscription's statistics look. Statistics are kept per {@link #BUCKET} of
 * attempt start times, so a window counts whole buckets: those that started within its length
 * before now, the current (partly elapsed) one included. "1h" read at 10:07 counts the attempts
 * that started from 09:10 on.
 */
public enum StatsWindow {
  HOUR("1h", Duration.ofHours(1)),
  DAY("24h", Duration.ofHours(24)),
  WEEK("7d", Duration.ofDays(7));

  /** The window read when none is named. */
  public static final StatsWindow DEFAULT = DAY;

  /** The span of one bucket of statistics. */
  public static final Duration BUCKET = Duration.ofMinutes(5);

  private final String wireName;
  private final Duration length;

  StatsWindow(String wireName, Duration length) {
    this.wireName = wireName;
    this.length = length;
  }

  public String wireName() {
    return wireName;
  }

  /** The window named {@code name} ({@code 1h}, {@code 24h} or {@code 7d}), if it is one. */
  public static Optional<StatsWindow> of(String name) {
    return Arrays.stream(values()).filter(w -> w.wireName.equals(name)).findFirst();
  }

  /** The names of the windows, for an error message: {@code 1h, 24h, 7d}. */
  public static String names() {
    return Arrays.stream(values()).map(StatsWindow::wireName).collect(Collectors.joining(", "));
  }

  /**
   * The first bucket any window can still count when read at {@code now}: older buckets serve
   * no reader, and retention removes them.
   */
  public static Instant oldestKept(Instant now) {
    return Arrays.stream(values()).map(w -> w.firstBucket(now)).min(Instant::compareTo).orElseThrow();
  }

  /** The start of the bucket that holds {@code at}. */
  public static Instant bucketStart(Instant at) {
    long span = BUCKET.toSeconds();
    return Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), span) * span);
  }

  /** The start of the first bucket this window counts when read at {@code now}. */
  public Instant firstBucket(Instant now) {
    return bucketStart(now).minus(length).plus(BUCKET);
  }
}
