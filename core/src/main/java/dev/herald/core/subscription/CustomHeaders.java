package dev.herald.core.subscription;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A subscription's own request headers, sent on every attempt after Herald's: their values in the
 * order the client gave them, and which of them are secret ({@code X-Api-Key}). A secret value is
 * sealed at rest like a signing secret and never shown again: {@link #shown()} masks it.
 *
 * @param values header name to value, in order
 * @param secret the names whose values are secret; each is a name in {@code values}
 */
public record CustomHeaders(Map<String, String> values, Set<String> secret) {

  /** No headers. */
  public static final CustomHeaders NONE = new CustomHeaders(Map.of(), Set.of());

  public CustomHeaders {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    for (String name : secret) {
      if (!values.containsKey(name)) {
        throw new IllegalArgumentException("a secret header must have a value: " + name);
      }
    }
    secret = Collections.unmodifiableSet(new TreeSet<>(secret));
  }

  /** Headers none of which is secret. */
  public static CustomHeaders plain(Map<String, String> values) {
    return new CustomHeaders(values, Set.of());
  }

  /** Whether the header {@code name} (as given) holds a secret. */
  public boolean isSecret(String name) {
    return secret.contains(name);
  }

  /** Whether a header of this name, in any case, is among them. */
  public boolean containsIgnoringCase(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return values.keySet().stream().anyMatch(n -> n.toLowerCase(Locale.ROOT).equals(lower));
  }

  /**
   * What a client sees: a plain header's value as it is, a secret one as {@code {"secret": true}}
   * with no value. Sent back in a {@code PATCH}, that keeps the stored value.
   */
  public Map<String, Object> shown() {
    Map<String, Object> shown = new LinkedHashMap<>();
    values.forEach((name, value) -> shown.put(name, isSecret(name) ? Map.of("secret", true) : value));
    return shown;
  }

  @Override
  public String toString() {
    Map<String, Object> shown = shown();
    return "CustomHeaders" + shown;
  }
}
