package dev.herald.core.subscription;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names under which an attempt carries Herald's per-delivery headers, so that receivers that
 * read a platform's own names ({@code X-Atelier-Event}) keep working; a {@code null} name drops
 * that header.
 *
 * @param eventType the event's type, {@code herald-event-type} by default
 * @param deliveryId the delivery's id, {@code herald-delivery-id} by default
 * @param attempt the attempt's number, {@code herald-attempt} by default
 */
public record HeraldHeaderNames(String eventType, String deliveryId, String attempt) {

  /** The fields of {@code headerNames} in the API, in order. */
  public static final java.util.List<String> FIELDS = java.util.List.of("eventType", "deliveryId", "attempt");

  public static final HeraldHeaderNames DEFAULT =
      new HeraldHeaderNames("herald-event-type", "herald-delivery-id", "herald-attempt");

  /** Field name to header name, {@code null} where dropped; in {@link #FIELDS} order. */
  public Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("eventType", eventType);
    map.put("deliveryId", deliveryId);
    map.put("attempt", attempt);
    return map;
  }

  /** From {@link #asMap()}'s shape; a field absent keeps its default name. */
  public static HeraldHeaderNames of(Map<String, String> map) {
    return new HeraldHeaderNames(
        map.containsKey("eventType") ? map.get("eventType") : DEFAULT.eventType,
        map.containsKey("deliveryId") ? map.get("deliveryId") : DEFAULT.deliveryId,
        map.containsKey("attempt") ? map.get("attempt") : DEFAULT.attempt);
  }
}
