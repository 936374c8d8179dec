package dev.herald.api.views;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.subscription.BodyFormat;
import dev.herald.core.subscription.Batching;
import dev.herald.core.subscription.EndpointAuth;
import dev.herald.core.subscription.WireFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A subscription's {@code batch} as a client sends it: {@code {"maxEvents": 1–1000,
 * "maxWaitSeconds": 1–300, "maxBytes": 1024–1048576}} ({@code maxBytes} optional, 262144 by
 * default), or {@code null} / absent for one request per event. A batch's body is {@code
 * {"isBatched": true, "events": [<each event's body>, …]}}, each element in the subscription's
 * body format ({@code standard}, {@code data} or {@code template}). {@code batch} is refused with
 * a built-in target format ({@code slack}, …: the target's own one-message body, which it would
 * not accept wrapped in a batch) and with OAuth 2.0 credentials.
 */
final class BatchSpec {

  private static final Set<String> FIELDS = Set.of("maxEvents", "maxWaitSeconds", "maxBytes");

  private BatchSpec() {}

  static Batching parse(JsonFields f, WireFormat wire, EndpointAuth auth) {
    JsonNode node = f.node("batch");
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      f.error("/batch", "must be an object {maxEvents, maxWaitSeconds, maxBytes}");
      return null;
    }
    node.fieldNames().forEachRemaining(name -> {
      if (!FIELDS.contains(name)) {
        f.error("/batch/" + name, "is not a known field");
      }
    });
    Integer events = f.integer(node.get("maxEvents"), "/batch/maxEvents", 1, Batching.MAX_EVENTS, null);
    Integer wait =
        f.integer(node.get("maxWaitSeconds"), "/batch/maxWaitSeconds", 1, Batching.MAX_WAIT_SECONDS, null);
    Integer bytes =
        f.integer(node.get("maxBytes"), "/batch/maxBytes", Batching.MIN_BYTES, Batching.MAX_BYTES,
            Batching.DEFAULT_MAX_BYTES);
    if (!node.has("maxEvents") || node.get("maxEvents").isNull()) {
      f.error("/batch/maxEvents", "is required: an integer from 1 to " + Batching.MAX_EVENTS);
    }
    if (!node.has("maxWaitSeconds") || node.get("maxWaitSeconds").isNull()) {
      f.error("/batch/maxWaitSeconds",
          "is required: an integer from 1 to " + Batching.MAX_WAIT_SECONDS);
    }
    if (wire.body() instanceof BodyFormat.BuiltIn target) {
      f.error("/batch", "cannot be combined with body format " + target.apiName() + ": it is the"
          + " target's own body for one message, and a batch's body is {\"isBatched\": true,"
          + " \"events\": [...]}; use format standard, data or template");
    }
    if (auth instanceof EndpointAuth.OAuth2ClientCredentials) {
      f.error("/batch", "cannot be combined with OAuth 2.0 credentials");
    }
    return events == null || wait == null || bytes == null ? null : new Batching(events, wait, bytes);
  }

  /** {@code {"maxEvents", "maxWaitSeconds", "maxBytes"}}, or null. */
  static Map<String, Integer> shown(Batching batch) {
    if (batch == null) {
      return null;
    }
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("maxEvents", batch.maxEvents());
    m.put("maxWaitSeconds", batch.maxWaitSeconds());
    m.put("maxBytes", batch.maxBytes());
    return m;
  }

  /** Adds {@code batch} to a subscription in the shape a client sends it. */
  static void addTo(ObjectNode node, Batching batch) {
    if (batch == null) {
      node.putNull("batch");
    } else {
      ObjectNode b = node.putObject("batch");
      shown(batch).forEach(b::put);
    }
  }
}
