package dev.herald.api.views;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.subscription.CustomHeaders;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A subscription's {@code headers} as a client sends them: a plain value as a string ({@code
 * "X-Team": "billing"}), or an object ({@code "X-Api-Key": {"value": "…", "secret": true}}) whose
 * {@code secret} value is sealed at rest and never shown again. In a {@code PATCH}, {@code
 * {"secret": true}} without a value (what {@code GET} shows) keeps the stored value.
 */
final class HeadersSpec {

  static final int MAX_HEADERS = 20;
  static final int MAX_VALUE_LENGTH = 1024;

  private HeadersSpec() {}

  /** The headers, values checked as strings; errors go to {@code f}. */
  static CustomHeaders parse(JsonFields f) {
    JsonNode node = f.node("headers");
    if (node == null || node.isNull() || !node.isObject()) {
      return CustomHeaders.plain(f.stringMap("headers", MAX_HEADERS, MAX_VALUE_LENGTH));
    }
    ObjectNode flat = JsonNodeFactory.instance.objectNode();
    Set<String> secret = new HashSet<>();
    boolean valid = true;
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode value = e.getValue();
      if (!value.isObject()) {
        flat.set(e.getKey(), value);
        continue;
      }
      String pointer = "/headers/" + e.getKey().replace("~", "~0").replace("/", "~1");
      for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!name.equals("value") && !name.equals("secret")) {
          f.error(pointer + "/" + name, "is not a field of a header: give value and secret");
          valid = false;
        }
      }
      JsonNode isSecret = value.get("secret");
      if (isSecret != null && !isSecret.isBoolean()) {
        f.error(pointer + "/secret", "must be true or false");
        valid = false;
      }
      if (value.get("value") == null) {
        f.error(pointer + "/value", "is required");
        valid = false;
        continue;
      }
      flat.set(e.getKey(), value.get("value"));
      if (isSecret != null && isSecret.booleanValue()) {
        secret.add(e.getKey());
      }
    }
    ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
    wrapper.set("headers", flat);
    Map<String, String> values = f.over(wrapper).stringMap("headers", MAX_HEADERS, MAX_VALUE_LENGTH);
    secret.retainAll(values.keySet());
    return valid ? new CustomHeaders(values, secret) : CustomHeaders.plain(Map.of());
  }

  /** The headers as a client would send them again, secret values included: for merging a PATCH. */
  static JsonNode asRequest(CustomHeaders headers, ObjectMapper json) {
    ObjectNode node = json.createObjectNode();
    headers.values().forEach((name, value) -> {
      if (headers.isSecret(name)) {
        node.putObject(name).put("value", value).put("secret", true);
      } else {
        node.put(name, value);
      }
    });
    return node;
  }

  /**
   * A PATCH's {@code headers} with each {@code {"secret": true}} that has no value given the value
   * stored for that secret header, so that what {@code GET} shows can be sent back unchanged.
   */
  static JsonNode keepingStoredSecrets(JsonNode given, CustomHeaders stored) {
    if (given == null || !given.isObject()) {
      return given;
    }
    ObjectNode out = ((ObjectNode) given).deepCopy();
    given.fields().forEachRemaining(e -> {
      JsonNode v = e.getValue();
      if (v.isObject() && v.size() == 1 && v.path("secret").asBoolean(false)
          && stored.isSecret(e.getKey())) {
        ObjectNode kept = out.putObject(e.getKey());
        kept.put("value", stored.values().get(e.getKey()));
        kept.put("secret", true);
      }
    });
    return out;
  }
}
