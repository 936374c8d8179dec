package dev.herald.api.views;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.api.errors.FieldError;
import dev.herald.api.errors.ProblemException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads fields from a JSON request body by hand, collecting every error with its JSON Pointer,
 * so that a client learns all that is wrong with a request at once.
 */
public final class JsonFields {

  /** The longest key of a string map such as {@code attributes} or {@code filter}. */
  public static final int MAX_KEY_LENGTH = 256;

  private final JsonNode body;
  private final List<FieldError> errors;
  private final String prefix;

  public JsonFields(JsonNode body) {
    this(body, new ArrayList<>(), "");
  }

  private JsonFields(JsonNode body, List<FieldError> errors, String prefix) {
    if (body == null || !body.isObject()) {
      throw ProblemException.invalid(
          List.of(new FieldError(prefix, prefix.isEmpty()
              ? "the body must be a JSON object" : "must be a JSON object")));
    }
    this.body = body;
    this.errors = errors;
    this.prefix = prefix;
  }

  /**
   * The fields of an object nested in a request at {@code pointer}: its errors are reported
   * with pointers from the request's root ({@code /with/body/format}).
   */
  public static JsonFields nested(JsonNode object, String pointer) {
    return new JsonFields(object, new ArrayList<>(), pointer);
  }

  /**
   * Fields of another object that report into the same list of errors, so that one 422 names
   * everything wrong with a request read in two steps.
   */
  public JsonFields over(JsonNode other) {
    return new JsonFields(other, errors, prefix);
  }

  /** Records an error for every field of the body that is not one of {@code known}. */
  public void refuseUnknown(Set<String> known) {
    body.fieldNames()
        .forEachRemaining(
            name -> {
              if (!known.contains(name)) {
                error(pointer(name), "is not a known field");
              }
            });
  }

  /** A boolean, or null when absent. */
  public Boolean bool(String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isBoolean()) {
      error(pointer(field), "must be true or false");
      return null;
    }
    return node.booleanValue();
  }

  /** The JSON Pointer of a top-level field (RFC 6901 escapes {@code ~} and {@code /}). */
  static String pointer(String field) {
    return "/" + field.replace("~", "~0").replace("/", "~1");
  }

  public boolean has(String field) {
    return body.hasNonNull(field);
  }

  public void error(String pointer, String message) {
    errors.add(new FieldError(prefix + pointer, message));
  }

  /** Throws a 422 listing every error recorded. */
  public void throwIfInvalid() {
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
  }

  public String string(String field, boolean required, int maxLength) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        error("/" + field, "is required");
      }
      return null;
    }
    if (!node.isTextual()) {
      error("/" + field, "must be a string");
      return null;
    }
    String value = node.textValue();
    String unstorable = unstorable(value);
    if (unstorable != null) {
      error("/" + field, unstorable);
    } else if (required && value.isBlank()) {
      error("/" + field, "must not be empty");
    } else if (length(value) > maxLength) {
      error("/" + field, "must be at most " + maxLength + " characters");
    }
    return value;
  }

  /**
   * The length of a string as its limits count it: in Unicode code points, so that one emoji
   * (two UTF-16 units in Java) is one character, as PostgreSQL and most clients count them.
   */
  public static int length(String value) {
    return value.codePointCount(0, value.length());
  }

  /**
   * An RFC 3339 timestamp with its offset ({@code 2026-11-20T18:00:00Z}, {@code
   * 2026-11-20T19:00:00+01:00}) as an instant, or null when absent or invalid.
   */
  public Instant instant(String field, boolean required) {
    String value = string(field, required, 64);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      error(pointer(field), "must be an RFC 3339 time with an offset, e.g. 2026-11-20T18:00:00Z");
      return null;
    }
  }

  /** An integer within bounds, or {@code fallback} when absent. */
  public Integer integer(String field, int min, int max, Integer fallback) {
    return integer(body.get(field), "/" + field, min, max, fallback);
  }

  Integer integer(JsonNode node, String pointer, int min, int max, Integer fallback) {
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      error(pointer, "must be an integer from " + min + " to " + max);
      return fallback;
    }
    int value = node.intValue();
    if (value < min || value > max) {
      error(pointer, "must be from " + min + " to " + max);
      return fallback;
    }
    return value;
  }

  public List<String> strings(String field, boolean required, int maxItems) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        error("/" + field, "is required");
      }
      return null;
    }
    if (!node.isArray() || (required && node.isEmpty()) || node.size() > maxItems) {
      error("/" + field, "must be an array of 1 to " + maxItems + " strings");
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      if (!node.get(i).isTextual()) {
        error("/" + field + "/" + i, "must be a string");
      } else if (unstorable(node.get(i).textValue()) != null) {
        error("/" + field + "/" + i, unstorable(node.get(i).textValue()));
      } else {
        out.add(node.get(i).textValue());
      }
    }
    return out;
  }

  /**
   * An array of integers within bounds, or null when absent.
   *
   * @param minItems the fewest items, 0 when an empty array is meaningful
   */
  public List<Integer> integers(String field, int minItems, int maxItems, int min, int max) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isArray() || node.size() < minItems || node.size() > maxItems) {
      error("/" + field, "must be an array of " + minItems + " to " + maxItems + " integers");
      return null;
    }
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      Integer value = integer(node.get(i), "/" + field + "/" + i, min, max, null);
      if (value != null) {
        out.add(value);
      }
    }
    return out;
  }

  /**
   * An object of string values, e.g. {@code filter} or {@code headers}, with keys of at most
   * {@value #MAX_KEY_LENGTH} characters (code points, like every length here); empty when absent.
   */
  public Map<String, String> stringMap(String field, int maxEntries, int maxValueLength) {
    JsonNode node = body.get(field);
    Map<String, String> out = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject() || node.size() > maxEntries) {
      error("/" + field, "must be an object of at most " + maxEntries + " string values");
      return out;
    }
    node.fields()
        .forEachRemaining(
            e -> {
              String pointer = "/" + field + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
              if (length(e.getKey()) > MAX_KEY_LENGTH) {
                error("/" + field, "keys must be at most " + MAX_KEY_LENGTH + " characters");
              } else if (unstorable(e.getKey()) != null) {
                error(pointer, "the key " + unstorable(e.getKey()));
              } else if (!e.getValue().isTextual()) {
                error(pointer, "must be a string");
              } else if (unstorable(e.getValue().textValue()) != null) {
                error(pointer, unstorable(e.getValue().textValue()));
              } else if (length(e.getValue().textValue()) > maxValueLength) {
                error(pointer, "must be at most " + maxValueLength + " characters");
              } else {
                out.put(e.getKey(), e.getValue().textValue());
              }
            });
    return out;
  }

  public JsonNode node(String field) {
    return body.get(field);
  }

  /**
   * Records an error for the first string or key anywhere in {@code tree} that is not Unicode
   * text (an unpaired surrogate, which JSON escapes can spell but UTF-8 cannot hold). NUL is fine
   * here: a tree is stored as escaped JSON text.
   */
  public void requireUnicode(JsonNode tree, String pointer) {
    String bad = firstUnpairedSurrogate(tree, pointer);
    if (bad != null) {
      error(bad, "must not contain an unpaired surrogate");
    }
  }

  private static String firstUnpairedSurrogate(JsonNode node, String pointer) {
    if (node.isTextual()) {
      return hasUnpairedSurrogate(node.textValue()) ? pointer : null;
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String bad = firstUnpairedSurrogate(node.get(i), pointer + "/" + i);
        if (bad != null) {
          return bad;
        }
      }
    } else if (node.isObject()) {
      var fields = node.fields();
      while (fields.hasNext()) {
        var e = fields.next();
        String child = pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
        if (hasUnpairedSurrogate(e.getKey())) {
          return child;
        }
        String bad = firstUnpairedSurrogate(e.getValue(), child);
        if (bad != null) {
          return bad;
        }
      }
    }
    return null;
  }

  /**
   * Why a string cannot be stored as PostgreSQL text or jsonb, or null when it can: PostgreSQL
   * refuses NUL, and an unpaired surrogate has no UTF-8 form.
   */
  static String unstorable(String value) {
    if (value.indexOf('\0') >= 0) {
      return "must not contain the NUL character";
    }
    return hasUnpairedSurrogate(value) ? "must not contain an unpaired surrogate" : null;
  }

  private static boolean hasUnpairedSurrogate(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }
}
