package dev.herald.core.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * An event to publish, already validated.
 *
 * @param id the publisher's idempotency key, or {@code null} to have one made
 * @param data the event's data, a JSON object
 * @param attributes flat string pairs that subscription filters match on
 */
public record EventRequest(String id, String type, ObjectNode data, Map<String, String> attributes) {

  public EventRequest {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }
}
