package dev.herald.core.template;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles and renders JSONata templates: the expression is checked when a subscription is saved
 * (a 422 with its position), and evaluated for each delivery within {@link TemplateLimits}. A
 * template that fails, or crosses a limit, throws {@link TemplateException} for that event; no
 * error of a template escapes as anything else.
 */
public final class TemplateEngine {

  /** Herald's engine, with {@link TemplateLimits#DEFAULT}. */
  public static final TemplateEngine DEFAULT = new TemplateEngine(TemplateLimits.DEFAULT);

  // Characters beyond the BMP (emoji) as their UTF-8 bytes, not as escaped surrogate pairs.
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
  private static final int COMPILED_PER_THREAD = 64;

  private final TemplateLimits limits;
  // A compiled JSONata expression keeps the state of its evaluation in itself: one per thread.
  private final ThreadLocal<Map<String, Compiled>> compiled =
      ThreadLocal.withInitial(
          () ->
              new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Compiled> eldest) {
                  return size() > COMPILED_PER_THREAD;
                }
              });

  /** An expression compiled for one thread, with its guarded functions and its budget's slot. */
  private record Compiled(Jsonata expression, RenderBudget.Slot slot) {}

  public TemplateEngine(TemplateLimits limits) {
    this.limits = limits;
  }

  static {
    warmUp();
  }

  /**
   * Loads the evaluator's classes once, outside any rendering's time limit: the first rendering
   * in a JVM otherwise spends about 100 ms loading them, and on a slow machine the limit with it.
   */
  private static void warmUp() {
    TemplateLimits generous =
        new TemplateLimits(java.time.Duration.ofSeconds(30), 200, Long.MAX_VALUE, 1 << 20, 100_000, 1 << 20);
    TemplateInput input =
        new TemplateInput(
            "{\"id\":\"evt_warm\",\"type\":\"warm.up\",\"timestamp\":\"2026-01-01T00:00:00Z\","
                + "\"data\":{\"a\":1.5,\"b\":[true,null],\"c\":{\"d\":\"x\"}}}",
            Map.of("k", "v"), "sub_warm", "warm");
    try {
      new TemplateEngine(generous).render(
            "($f := function($o){ $type($o) = 'object' ? $keys($o).($string($lookup($o, $))) : [] };"
                + " {'t': $uppercase(type) & $substring(id, 0, 3), 'n': $sum([1..3]) * data.a,"
                + " 'f': $f(data), 'm': $map(data.b, function($v){ $exists($v) }),"
                + " 'j': $join($split('a.b', '.'), '-'), 's': $pad(subscription.name, 6)})",
          input);
    } catch (RuntimeException e) {
      // Only a warm-up: the renderings that matter report their own errors.
    }
  }

  /** Checks that {@code source} compiles; throws {@link TemplateCompileException} if not. */
  public static void check(String source) {
    compile(source);
  }

  /** The body {@code source} makes for one event: JSON, at most the output limit long. */
  public byte[] render(String source, TemplateInput input) {
    Compiled c;
    try {
      c = compiled.get().computeIfAbsent(source, this::prepare);
    } catch (TemplateCompileException e) {
      throw new TemplateException(
          "the template does not compile: " + e.getMessage() + " at position " + e.position());
    }
    RenderBudget budget = c.slot().start(limits);
    Object result;
    try {
      result = c.expression().evaluate(input.toJsonata());
      budget.checkTimeAndMemory();
    } catch (StackOverflowError e) {
      throw new TemplateException("the template nests too deeply for the stack");
    } catch (OutOfMemoryError e) {
      throw new TemplateException("the template ran out of memory");
    } catch (RuntimeException e) {
      throw new TemplateException(describe(e), e);
    } finally {
      c.slot().end();
    }
    if (result == null) {
      throw new TemplateException("the template made nothing (undefined) for this event");
    }
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(toJson(result));
    } catch (JsonProcessingException e) {
      throw new TemplateException("the template's result could not be written as JSON", e);
    }
    if (body.length > limits.maxOutputBytes()) {
      throw new TemplateException(
          "the template made " + body.length + " bytes, more than the limit of "
              + limits.maxOutputBytes());
    }
    return body;
  }

  private Compiled prepare(String source) {
    Jsonata expression = compile(source);
    GuardedFunctions.bindInto(expression, limits);
    return new Compiled(expression, RenderBudget.install(expression));
  }

  private static Jsonata compile(String source) {
    if (source == null || source.isBlank()) {
      throw new TemplateCompileException("the template is empty", 0);
    }
    if (source.length() > TemplateLimits.MAX_SOURCE_CHARS) {
      throw new TemplateCompileException(
          "the template is longer than " + TemplateLimits.MAX_SOURCE_CHARS + " characters",
          TemplateLimits.MAX_SOURCE_CHARS);
    }
    try {
      return Jsonata.jsonata(source);
    } catch (JException e) {
      return failCompile(e.getMessage(), Math.max(0, Math.min(e.getLocation(), source.length())));
    } catch (RuntimeException | StackOverflowError e) {
      return failCompile("the template cannot be parsed (" + e.getClass().getSimpleName() + ")", 0);
    }
  }

  private static Jsonata failCompile(String message, int position) {
    throw new TemplateCompileException(message, position);
  }

  /** The message of a failed rendering: the limit crossed, or JSONata's own error. */
  private static String describe(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RenderBudget.Exceeded exceeded) {
        return exceeded.getMessage();
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JException j) {
        return j.getLocation() >= 0
            ? j.getMessage() + " (at position " + j.getLocation() + ")"
            : j.getMessage();
      }
    }
    return "the template failed: " + e;
  }

  /** JSONata's result as JSON; anything else (a function, a regular expression) is refused. */
  private static JsonNode toJson(Object value) {
    if (value == null || value == Jsonata.NULL_VALUE) {
      return NODES.nullNode();
    }
    if (value instanceof String s) {
      return NODES.textNode(s);
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof Number n) {
      return number(n);
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode object = NODES.objectNode();
      map.forEach((k, v) -> object.set(String.valueOf(k), toJson(v)));
      return object;
    }
    if (value instanceof List<?> list) {
      ArrayNode array = NODES.arrayNode(list.size());
      list.forEach(item -> array.add(toJson(item)));
      return array;
    }
    throw new TemplateException(
        "the template's result is not JSON: it holds a " + kindOf(value));
  }

  private static JsonNode number(Number n) {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
      return NODES.numberNode(n.longValue());
    }
    if (n instanceof BigInteger b) {
      return NODES.numberNode(b);
    }
    if (n instanceof BigDecimal d) {
      return NODES.numberNode(d);
    }
    double d = n.doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new TemplateException("the template made a number JSON cannot hold: " + d);
    }
    // JSONata computes in doubles; whole numbers are written without a fraction, as JSONata does.
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return NODES.numberNode((long) d);
    }
    return NODES.numberNode(d);
  }

  private static String kindOf(Object value) {
    String name = value.getClass().getName();
    if (value instanceof java.util.regex.Pattern) {
      return "regular expression";
    }
    return name.contains("Jsonata") || name.contains("Lambda") || name.contains("Symbol")
        ? "function"
        : value.getClass().getSimpleName();
  }
}
