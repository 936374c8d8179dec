package dev.herald.core;

/** Herald's version, as endpoints see it in {@code User-Agent: Herald/<version>}. */
public final class HeraldVersion {

  public static final String VERSION = "0.1.0";

  private HeraldVersion() {}
}
