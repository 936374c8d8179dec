package dev.herald.core.subscription;

/**
 * A subscription's batch settings: its deliveries are gathered and sent as one request once
 * {@code maxEvents} are gathered, their events' JSON reaches {@code maxBytes}, or {@code
 * maxWaitSeconds} have passed since the first was gathered, whichever comes first. A subscription
 * without them sends one request per event.
 */
public record Batching(int maxEvents, int maxWaitSeconds, int maxBytes) {

  public static final int MAX_EVENTS = 1000;
  public static final int MAX_WAIT_SECONDS = 300;
  public static final int MIN_BYTES = 1024;
  public static final int MAX_BYTES = 1_048_576;
  /** {@code maxBytes} when a client gives none: 256 KiB. */
  public static final int DEFAULT_MAX_BYTES = 262_144;

  public Batching {
    if (maxEvents < 1 || maxEvents > MAX_EVENTS) {
      throw new IllegalArgumentException("maxEvents must be 1–" + MAX_EVENTS + ": " + maxEvents);
    }
    if (maxWaitSeconds < 1 || maxWaitSeconds > MAX_WAIT_SECONDS) {
      throw new IllegalArgumentException(
          "maxWaitSeconds must be 1–" + MAX_WAIT_SECONDS + ": " + maxWaitSeconds);
    }
    if (maxBytes < MIN_BYTES || maxBytes > MAX_BYTES) {
      throw new IllegalArgumentException(
          "maxBytes must be " + MIN_BYTES + "–" + MAX_BYTES + ": " + maxBytes);
    }
  }
}
