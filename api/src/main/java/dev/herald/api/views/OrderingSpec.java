package dev.herald.api.views;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A subscription's ordering as a client sends it: {@code "ordering": {"key": "<attribute>"}},
 * where the key names an event attribute ({@code "attributes.<attribute>"} means the same); null
 * or absent for unordered delivery. The deliveries of events with the same value of that
 * attribute go one at a time, in feed order. A PATCH replaces it whole.
 */
final class OrderingSpec {

  /** The spelling that names an attribute explicitly: {@code attributes.accountId}. */
  static final String ATTRIBUTES_PREFIX = "attributes.";

  private static final String SHAPE =
      "must be {\"key\": \"<event attribute name>\"}, or null for unordered delivery";

  private OrderingSpec() {}

  /** The attribute's name, or null for unordered delivery. */
  static String parse(JsonFields f) {
    JsonNode node = f.node("ordering");
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      f.error("/ordering", SHAPE);
      return null;
    }
    node.fieldNames().forEachRemaining(name -> {
      if (!name.equals("key")) {
        f.error("/ordering/" + name.replace("~", "~0").replace("/", "~1"),
            "is not a known field: " + SHAPE);
      }
    });
    JsonNode key = node.get("key");
    if (key == null || key.isNull()) {
      f.error("/ordering/key", "is required: the name of the event attribute whose value orders"
          + " the deliveries");
      return null;
    }
    if (!key.isTextual()) {
      f.error("/ordering/key", "must be a string, the name of an event attribute");
      return null;
    }
    String name = key.textValue();
    if (name.startsWith(ATTRIBUTES_PREFIX)) {
      name = name.substring(ATTRIBUTES_PREFIX.length());
    }
    if (name.isBlank()) {
      f.error("/ordering/key", "must name an event attribute");
    } else if (JsonFields.length(name) > JsonFields.MAX_KEY_LENGTH) {
      f.error("/ordering/key", "must be at most " + JsonFields.MAX_KEY_LENGTH + " characters, as"
          + " an attribute name is");
    } else if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      f.error("/ordering/key", "must not contain control characters");
    } else if (name.codePoints().anyMatch(c -> Character.getType(c) == Character.SURROGATE)) {
      f.error("/ordering/key", "must not contain an unpaired surrogate");
    } else {
      return name;
    }
    return null;
  }

  /** {@code {"key": "accountId"}}, or null when unordered. */
  static Map<String, String> shown(String key) {
    return key == null ? null : Map.of("key", key);
  }

  /** Adds the ordering to a subscription in the shape a client sends it. */
  static void addTo(ObjectNode node, String key) {
    if (key == null) {
      node.putNull("ordering");
    } else {
      node.putObject("ordering").put("key", key);
    }
  }
}
