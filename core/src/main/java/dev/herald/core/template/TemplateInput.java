package dev.herald.core.template;

import com.dashjoin.jsonata.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a template sees: {@code {id, type, timestamp, data, attributes, subscription: {id, name}}}.
 *
 * @param payload the event's stored envelope ({@code {id, type, timestamp, data}})
 * @param attributes the event's attributes, as published
 */
public record TemplateInput(
    String payload, Map<String, String> attributes, String subscriptionId, String subscriptionName) {

  /** The input as JSONata values: maps, lists, strings, numbers, booleans. */
  Object toJsonata() {
    Map<String, Object> document = new LinkedHashMap<>();
    if (Json.parseJson(payload) instanceof Map<?, ?> envelope) {
      envelope.forEach((k, v) -> document.put(String.valueOf(k), v));
    } else {
      throw new IllegalStateException("the stored payload is not a JSON object");
    }
    document.put("attributes", new LinkedHashMap<>(attributes));
    Map<String, Object> subscription = new LinkedHashMap<>();
    subscription.put("id", subscriptionId);
    subscription.put("name", subscriptionName);
    document.put("subscription", subscription);
    return document;
  }
}
