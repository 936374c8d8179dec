package dev.herald.api.views;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A tenant's defaults for new subscriptions: any of {@code method}, {@code signature}, {@code
 * headerNames} and {@code body}, validated as on a subscription; a new subscription that does not
 * name a field takes the default's.
 */
public final class SubscriptionDefaults {

  /** The fields a default may set. */
  public static final Set<String> FIELDS = WireFormatSpec.FIELDS;

  private SubscriptionDefaults() {}

  /** Validates the body of {@code PUT /v1/subscription-defaults}; returns it as it will be kept. */
  public static ObjectNode parse(JsonNode body) {
    JsonFields f = new JsonFields(body);
    f.refuseUnknown(FIELDS);
    WireFormatSpec.parse(f, Map.of());
    f.throwIfInvalid();
    return (ObjectNode) body.deepCopy();
  }

  /** A create request with the defaults filled in where it names nothing. */
  public static JsonNode apply(JsonNode defaults, JsonNode request) {
    if (!(request instanceof ObjectNode given) || defaults == null || defaults.isEmpty()) {
      return request;
    }
    ObjectNode merged = given.deepCopy();
    for (Iterator<Map.Entry<String, JsonNode>> it = defaults.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!merged.has(e.getKey())) {
        merged.set(e.getKey(), e.getValue());
      }
    }
    return merged;
  }
}
