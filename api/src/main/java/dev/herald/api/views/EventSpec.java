package dev.herald.api.views;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.event.EventRequest;
import dev.herald.core.subscription.EventTypePattern;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and validates the body of {@code POST /v1/events}. */
public final class EventSpec {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

  /** The fields of an event; any other is refused, as on a subscription. */
  public static final Set<String> FIELDS = Set.of("id", "type", "data", "attributes");

  private EventSpec() {}

  /** The body of {@code POST /v1/events}: 422 naming every field that is wrong or unknown. */
  public static EventRequest parse(JsonNode body) {
    return parse(body, Set.of());
  }

  /**
   * An event in a body that may hold {@code alsoKnown} fields besides (a preview's {@code
   * with}), which the caller reads itself.
   */
  public static EventRequest parse(JsonNode body, Set<String> alsoKnown) {
    JsonFields f = new JsonFields(body);
    Set<String> known = new HashSet<>(FIELDS);
    known.addAll(alsoKnown);
    f.refuseUnknown(known);
    EventRequest request = read(f);
    f.throwIfInvalid();
    return request;
  }

  /** The event's fields of a request, errors left in {@code f}: its data is null when invalid. */
  static EventRequest read(JsonFields f) {
    String id = f.string("id", false, 128);
    if (id != null && !ID.matcher(id).matches()) {
      f.error("/id", "must be 1 to 128 of letters, digits and _ . : -");
    }
    String type = f.string("type", true, 128);
    if (type != null && !EventTypePattern.TYPE.matcher(type).matches()) {
      f.error("/type", "must match [a-z0-9_.-]+ and be at most 128 characters");
    }
    JsonNode data = f.node("data");
    if (data == null || !data.isObject()) {
      f.error("/data", "is required and must be a JSON object");
    } else {
      f.requireUnicode(data, "/data");
    }
    Map<String, String> attributes = f.stringMap("attributes", 20, 256);
    return new EventRequest(id, type, data instanceof ObjectNode o ? o : null, attributes);
  }
}
