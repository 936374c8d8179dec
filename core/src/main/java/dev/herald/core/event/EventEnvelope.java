package dev.herald.core.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The bytes endpoints receive as Herald's envelope: id, type, timestamp, data, in that order. */
public final class EventEnvelope {

  private EventEnvelope() {}

  public static String of(ObjectMapper json, String eventId, String type, Instant createdAt, Object data) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", eventId);
    body.put("type", type);
    body.put("timestamp", createdAt.toString());
    body.put("data", data);
    try {
      return json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
