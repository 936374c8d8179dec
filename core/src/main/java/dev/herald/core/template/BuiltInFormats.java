package dev.herald.core.template;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The target formats Herald ships: each a JSONata template, chosen with body
 * {@code {"format": "<name>"}} and rendered by {@link TemplateEngine} like any other template. The
 * templates are the resources {@code dev/herald/core/template/formats/<name>.jsonata}, read once
 * and checked to compile as this class loads; docs/WIRE_FORMATS_BUILTIN.md describes each.
 */
public final class BuiltInFormats {

  /** The built-in formats' names. */
  public static final List<String> NAMES =
      List.of("slack", "discord", "teams", "zendesk", "intercom", "salesforce", "generic");

  private static final Map<String, String> SOURCES = load();

  private BuiltInFormats() {}

  /** Whether {@code name} is a built-in format. */
  public static boolean exists(String name) {
    return name != null && SOURCES.containsKey(name);
  }

  /** The template text of built-in format {@code name}; IllegalArgumentException if there is none. */
  public static String source(String name) {
    String source = name == null ? null : SOURCES.get(name);
    if (source == null) {
      throw new IllegalArgumentException("no built-in format is named " + name);
    }
    return source;
  }

  private static Map<String, String> load() {
    Map<String, String> sources = new LinkedHashMap<>();
    for (String name : NAMES) {
      String resource = "formats/" + name + ".jsonata";
      String source;
      try (InputStream in = BuiltInFormats.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("the built-in format " + name + " has no " + resource);
        }
        source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("the built-in format " + name + " cannot be read", e);
      }
      try {
        TemplateEngine.check(source);
      } catch (TemplateCompileException e) {
        throw new IllegalStateException(
            "the built-in format " + name + " does not compile: " + e.getMessage()
                + " at position " + e.position(),
            e);
      }
      sources.put(name, source);
    }
    return Map.copyOf(sources);
  }
}
