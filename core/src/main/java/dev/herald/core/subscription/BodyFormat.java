package dev.herald.core.subscription;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.herald.core.template.BuiltInFormats;
import dev.herald.core.template.TemplateEngine;
import dev.herald.core.template.TemplateInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an attempt's body is, made from the event ({@code {id, type, timestamp, data}} as stored,
 * its attributes and the subscription): Herald's envelope as it is, the event's {@code data}
 * alone, a JSONata template of the subscription's own, or one of Herald's built-in target
 * formats (named templates: {@code slack}, {@code discord}, …).
 */
public sealed interface BodyFormat {

  /** Herald's envelope: {@code {"id", "type", "timestamp", "data"}}. */
  BodyFormat STANDARD = new Standard();

  /** The event's {@code data}, as the body. */
  BodyFormat DATA = new Data();

  /** Its {@code format} in the API and in the database. */
  String apiName();

  /**
   * The body of an attempt. A template that fails for this event throws {@link
   * dev.herald.core.template.TemplateException}.
   */
  byte[] render(TemplateInput input);

  /** The template text of a {@code template} format; {@code null} for the others. */
  default String template() {
    return null;
  }

  /** The body as a client gives it and sees it: {@code format}, and {@code template} where it applies. */
  default Map<String, String> fields() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("format", apiName());
    if (template() != null) {
      fields.put("template", template());
    }
    return fields;
  }

  /** Every format name a client may give, in the order the docs list them. */
  static List<String> names() {
    List<String> names = new ArrayList<>(List.of("standard", "data", "template"));
    names.addAll(BuiltInFormats.NAMES);
    return names;
  }

  /**
   * The format named {@code format}; {@code template} is the expression of format {@code
   * template} and must be null for every other.
   *
   * @throws IllegalArgumentException for an unknown name, or a template where none belongs
   * @throws dev.herald.core.template.TemplateCompileException for a template that does not
   *     compile
   */
  static BodyFormat of(String format, String template) {
    if ("template".equals(format)) {
      if (template == null) {
        throw new IllegalArgumentException("format template needs its template");
      }
      TemplateEngine.check(template);
      return new Template(template);
    }
    if (template != null) {
      throw new IllegalArgumentException("only format template takes a template");
    }
    if ("standard".equals(format)) {
      return STANDARD;
    }
    if ("data".equals(format)) {
      return DATA;
    }
    if (BuiltInFormats.exists(format)) {
      return new BuiltIn(format);
    }
    throw new IllegalArgumentException(
        "format must be one of " + String.join(", ", names()) + ": " + format);
  }

  /** The same format read back from the database, where it was checked on the way in. */
  static BodyFormat stored(String format, String template) {
    return "template".equals(format) ? new Template(template) : of(format, null);
  }

  /** Herald's envelope: the event's stored bytes, unchanged. */
  record Standard() implements BodyFormat {
    @Override
    public String apiName() {
      return "standard";
    }

    @Override
    public byte[] render(TemplateInput input) {
      return input.payload().getBytes(StandardCharsets.UTF_8);
    }
  }

  /** The event's {@code data}: its bytes as the platform published them, numbers exact. */
  record Data() implements BodyFormat {
    private static final ObjectMapper EXACT =
        JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    @Override
    public String apiName() {
      return "data";
    }

    @Override
    public byte[] render(TemplateInput input) {
      try {
        JsonNode data = EXACT.readTree(input.payload()).get("data");
        return EXACT.writeValueAsBytes(data);
      } catch (IOException e) {
        throw new UncheckedIOException("the stored payload is not JSON", e);
      }
    }
  }

  /** A JSONata expression of the subscription's own, over the event. */
  record Template(String source) implements BodyFormat {
    public Template {
      Objects.requireNonNull(source, "source");
    }

    @Override
    public String apiName() {
      return "template";
    }

    @Override
    public String template() {
      return source;
    }

    @Override
    public byte[] render(TemplateInput input) {
      return TemplateEngine.DEFAULT.render(source, input);
    }
  }

  /** One of Herald's target formats: a template that ships with Herald. */
  record BuiltIn(String name) implements BodyFormat {
    @Override
    public String apiName() {
      return name;
    }

    @Override
    public byte[] render(TemplateInput input) {
      return TemplateEngine.DEFAULT.render(BuiltInFormats.source(name), input);
    }
  }
}
