package dev.herald.api.views;

import dev.herald.core.event.Event;
import java.time.Instant;

/** The answer to {@code POST /v1/events}: the same every time the same event is published. */
public record PublishedEvent(String id, String type, Instant createdAt, int deliveries) {

  public static PublishedEvent of(Event e) {
    return new PublishedEvent(e.id(), e.type(), e.createdAt(), e.deliveryCount());
  }
}
