package dev.herald.api.views;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An event and its deliveries ({@code GET /v1/events/{id}}). */
public record EventView(
    String id,
    String type,
    Instant createdAt,
    JsonNode data,
    Map<String, String> attributes,
    List<DeliveryView> deliveries) {}
