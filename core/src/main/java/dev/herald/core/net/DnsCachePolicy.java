package dev.herald.core.net;

import java.security.Security;

/**
 * How long the JVM keeps name lookups (README, "Security"): a re-pointed name is seen within {@value
 * #POSITIVE_SECONDS} s, and a name that failed once is asked again after {@value
 * #NEGATIVE_SECONDS} s. The JVM's own default depends on its setup (with a security manager it
 * caches forever), so Herald states it. The JVM reads these settings once, at its first lookup:
 * {@link #apply()} belongs at the very start of the process.
 */
public final class DnsCachePolicy {

  /** Seconds a successful lookup is reused. */
  public static final int POSITIVE_SECONDS = 30;

  /** Seconds a failed lookup is remembered. */
  public static final int NEGATIVE_SECONDS = 5;

  private DnsCachePolicy() {}

  /** Sets {@code networkaddress.cache.ttl} and {@code networkaddress.cache.negative.ttl}. */
  public static void apply() {
    Security.setProperty("networkaddress.cache.ttl", String.valueOf(POSITIVE_SECONDS));
    Security.setProperty("networkaddress.cache.negative.ttl", String.valueOf(NEGATIVE_SECONDS));
  }
}
