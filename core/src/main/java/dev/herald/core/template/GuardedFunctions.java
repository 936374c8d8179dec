package dev.herald.core.template;

import com.dashjoin.jsonata.Functions;
import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.dashjoin.jsonata.Jsonata.JFunction;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The few JSONata functions whose work the evaluator cannot interrupt, replaced for templates:
 * a regular expression runs inside Java's regex engine where no step boundary is seen (one
 * pattern can backtrack for hours), {@code $pad} builds its whole string in one call, and
 * {@code $eval} would evaluate text outside these limits. String arguments keep working as in
 * JSONata; regular expressions and {@code $eval} are refused with a message that says so.
 */
final class GuardedFunctions {

  private GuardedFunctions() {}

  static void bindInto(Jsonata expression, TemplateLimits limits) {
    expression.registerFunction("contains", new JFunction(
        (input, args) -> Functions.contains(string(args, 0), noRegex("contains", arg(args, 1))),
        "<s-(sf):b>"));
    expression.registerFunction("split", new JFunction(
        (input, args) ->
            Functions.split(string(args, 0), noRegex("split", arg(args, 1)), (Number) arg(args, 2)),
        "<s-(sf)n?:a<s>>"));
    expression.registerFunction("replace", new JFunction(
        (input, args) ->
            Functions.replace(string(args, 0), noRegex("replace", arg(args, 1)), arg(args, 2),
                integer(arg(args, 3))),
        "<s-(sf)(sf)n?:s>"));
    expression.registerFunction("match", new JFunction(
        (input, args) -> {
          throw refused("$match");
        },
        "<s-f<s:o>n?:a<o>>"));
    expression.registerFunction("eval", new JFunction(
        (input, args) -> {
          throw new JException("$eval is not available in Herald templates", -1);
        },
        "<sx?:x>"));
    expression.registerFunction("pad", new JFunction(
        (input, args) -> {
          Integer width = integer(arg(args, 1));
          if (width != null && Math.abs((long) width) > limits.maxStringChars()) {
            throw new RenderBudget.Exceeded(
                "$pad to " + width + " characters is longer than " + limits.maxStringChars());
          }
          return pad(string(args, 0), width, (String) arg(args, 2));
        },
        "<s-ns?:s>"));
  }

  /**
   * JSONata's {@code $pad}: to {@code |width|} characters, on the right for a positive width and
   * on the left for a negative one, with {@code padding} (a space by default) repeated and cut.
   * Written here in linear time (the library's builds its string a character at a time).
   */
  static String pad(String text, Integer width, String padding) {
    if (text == null) {
      return null;
    }
    if (width == null) {
      return text;
    }
    String unit = padding == null || padding.isEmpty() ? " " : padding;
    int need = Math.abs(width) - text.codePointCount(0, text.length());
    if (need <= 0) {
      return text;
    }
    int unitLength = unit.codePointCount(0, unit.length());
    String repeated = unit.repeat(need / unitLength + 1);
    String fill = repeated.substring(0, repeated.offsetByCodePoints(0, need));
    return width > 0 ? text + fill : fill + text;
  }

  private static Object noRegex(String function, Object pattern) {
    if (pattern instanceof Pattern) {
      throw refused("$" + function + " with a regular expression");
    }
    return pattern;
  }

  private static JException refused(String what) {
    return new JException(
        what + " is not available in Herald templates: a regular expression cannot be stopped"
            + " once it runs; match with strings, $substringBefore/$substringAfter or $split",
        -1);
  }

  private static Object arg(List<?> args, int i) {
    return i < args.size() ? args.get(i) : null;
  }

  private static String string(List<?> args, int i) {
    return (String) arg(args, i);
  }

  private static Integer integer(Object n) {
    return n == null ? null : ((Number) n).intValue();
  }
}
