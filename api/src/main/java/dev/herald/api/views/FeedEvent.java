package dev.herald.api.views;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.event.Event;
import java.time.Instant;
import java.util.Map;

/** An event in the feed: as {@code GET /v1/events/{id}} shows it, without its deliveries. */
public record FeedEvent(
    String id, String type, Instant createdAt, JsonNode data, Map<String, String> attributes) {

  public static FeedEvent of(Event e, ObjectMapper json) {
    try {
      return new FeedEvent(e.id(), e.type(), e.createdAt(), json.readTree(e.payload()).get("data"),
          e.attributes());
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("unreadable payload of event " + e.id(), ex);
    }
  }
}
