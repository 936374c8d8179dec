package dev.herald.core.tenant;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** What an API key may do. */
public enum Scope {
  WEBHOOKS_READ("webhooks:read"),
  WEBHOOKS_WRITE("webhooks:write"),
  EVENTS_PUBLISH("events:publish");

  private final String wireName;

  Scope(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in the API and on the command line, e.g. {@code webhooks:read}. */
  public String wireName() {
    return wireName;
  }

  public static Optional<Scope> fromWireName(String name) {
    return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
  }

  public static Set<Scope> all() {
    return EnumSet.allOf(Scope.class);
  }
}
