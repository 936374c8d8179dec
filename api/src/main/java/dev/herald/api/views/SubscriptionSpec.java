package dev.herald.api.views;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.flow.FlowLimits;
import dev.herald.core.subscription.Batching;
import dev.herald.core.subscription.CustomHeaders;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.subscription.EventTypePattern;
import dev.herald.core.subscription.EndpointAuth;
import dev.herald.core.subscription.WireFormat;
import dev.herald.workflows.schedule.RetrySchedule;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a subscription's settings as a client sends them ({@code POST /v1/subscriptions}, and
 * {@code PATCH} after merging), validated field by field. The URL's address is checked
 * separately, by the address guard.
 */
public final class SubscriptionSpec {

  /** RFC 9110 token characters. */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");

  private static final Set<String> RESERVED_HEADERS =
      Set.of("content-type", "content-length", "host", "user-agent", "connection",
          "transfer-encoding");

  /** The fields of {@code POST /v1/subscriptions}; any other is refused. */
  public static final Set<String> FIELDS =
      Set.of("name", "url", "events", "filter", "headers", "retrySchedule", "maxRetries",
          "retryDelaySeconds", "timeoutSeconds", "disableAfter", "method", "signature",
          "headerNames", "body", "auth", "maxConcurrency", "rateLimit", "ordering", "batch");

  private SubscriptionSpec() {}

  /** The body of {@code POST /v1/subscriptions}. */
  public static Subscription.Settings parse(JsonNode body) {
    JsonFields f = new JsonFields(body);
    f.refuseUnknown(FIELDS);
    refuseWildcards(f, body.get("filter"));
    return parse(f);
  }

  /**
   * Records an error for each value of a filter being given that holds a {@code *}: a filter
   * value matches an attribute's value exactly, so a {@code *} would be taken literally where a
   * client surely meant a wildcard. Only a filter being given is checked, so that one stored
   * before this rule blocks no other change.
   */
  static void refuseWildcards(JsonFields f, JsonNode filter) {
    if (filter == null || !filter.isObject()) {
      return;
    }
    filter.fields().forEachRemaining(e -> {
      if (e.getValue().isTextual() && e.getValue().textValue().indexOf('*') >= 0) {
        f.error("/filter/" + e.getKey().replace("~", "~0").replace("/", "~1"),
            "must not contain '*': a filter value matches the attribute's value exactly, with no"
                + " wildcards");
      }
    });
  }

  /** Validates every field of new settings, reporting all errors at once. */
  static Subscription.Settings parse(JsonFields f) {
    return parse(f, EndpointAuth.NONE);
  }

  /**
   * Validates every field of a subscription's settings, reporting all errors at once.
   *
   * @param stored the credentials saved before a change: kept as they are, they are not checked
   *     against the clock again (an expired client certificate does not block a pause)
   */
  static Subscription.Settings parse(JsonFields f, EndpointAuth stored) {
    String name = f.string("name", true, 200);
    String url = f.string("url", true, 2048);
    List<String> events = f.strings("events", true, 100);
    if (events != null) {
      for (int i = 0; i < events.size(); i++) {
        if (!EventTypePattern.isValidPattern(events.get(i))) {
          f.error("/events/" + i, "must be an event type or a pattern ending in '*'");
        }
      }
    }
    Map<String, String> filter = f.stringMap("filter", 20, 256);
    CustomHeaders headers = HeadersSpec.parse(f);
    headers.values().forEach(
        (header, value) -> {
          String lower = header.toLowerCase(Locale.ROOT);
          if (!HEADER_NAME.matcher(header).matches()) {
            f.error("/headers/" + header, "is not a valid header name");
          } else if (RESERVED_HEADERS.contains(lower)
              || lower.startsWith("webhook-")
              || lower.startsWith("herald-")) {
            f.error("/headers/" + header, "is set by Herald and cannot be replaced");
          } else if (value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
            f.error("/headers/" + header, "must not contain control characters");
          }
        });
    List<Integer> schedule = retrySchedule(f);
    int timeout = f.integer("timeoutSeconds", 1, 30, 5);
    int failures = 20;
    int seconds = 86400;
    JsonNode disableAfter = f.node("disableAfter");
    if (disableAfter != null && !disableAfter.isNull()) {
      if (!disableAfter.isObject()) {
        f.error("/disableAfter", "must be an object {failures, seconds}");
      } else {
        failures = f.integer(disableAfter.get("failures"), "/disableAfter/failures", 0, 10_000, failures);
        seconds = f.integer(disableAfter.get("seconds"), "/disableAfter/seconds", 0, 2_592_000, seconds);
      }
    }
    WireFormat wire = WireFormatSpec.parse(f, headers.values());
    EndpointAuth auth = EndpointAuthSpec.parse(f, headers.values(), wire, stored);
    FlowLimits flow = FlowLimitsSpec.parse(f);
    String orderingKey = OrderingSpec.parse(f);
    Batching batch = BatchSpec.parse(f, wire, auth);
    if (orderingKey != null && batch != null) {
      // A batch carries many keys' events at once: one request cannot wait for another's turn.
      f.error("/batch", "cannot be combined with ordering: a batch sends many events at once,"
          + " ordered delivery sends one key's events one at a time");
    }
    f.throwIfInvalid();
    return new Subscription.Settings(name, url, List.copyOf(events), filter, headers, schedule,
        timeout, failures, seconds, wire, auth, flow, orderingKey, batch);
  }

  /** The settings of a stored subscription, in the shape a client sends them. */
  static ObjectNode asRequest(Subscription s, ObjectMapper json) {
    ObjectNode node = json.createObjectNode();
    node.put("name", s.name());
    node.put("url", s.url());
    node.set("events", json.valueToTree(s.eventTypes()));
    node.set("filter", json.valueToTree(s.filter()));
    node.set("headers", HeadersSpec.asRequest(s.headers(), json));
    node.set("retrySchedule", json.valueToTree(s.retrySchedule()));
    node.put("timeoutSeconds", s.timeoutSeconds());
    ObjectNode disableAfter = node.putObject("disableAfter");
    disableAfter.put("failures", s.disableAfterFailures());
    disableAfter.put("seconds", s.disableAfterSeconds());
    WireFormatSpec.addTo(node, s.wire(), json);
    node.set("auth", EndpointAuthSpec.asRequest(s.auth(), json));
    FlowLimitsSpec.addTo(node, s.flow());
    OrderingSpec.addTo(node, s.orderingKey());
    BatchSpec.addTo(node, s.batch());
    return node;
  }

  /**
   * The waits before each retry: {@code retrySchedule} as given, or {@code maxRetries} waits
   * doubling from {@code retryDelaySeconds}. No retry at all ({@code []}, or {@code maxRetries:
   * 0}) means exactly one attempt.
   */
  private static List<Integer> retrySchedule(JsonFields f) {
    boolean explicit = f.has("retrySchedule");
    boolean exponential = f.has("maxRetries") || f.has("retryDelaySeconds");
    if (explicit && exponential) {
      f.error("/retrySchedule", "give either retrySchedule or maxRetries with retryDelaySeconds");
      return RetrySchedule.DEFAULT;
    }
    if (exponential) {
      Integer retries = f.integer("maxRetries", 0, 20, null);
      Integer delay = f.integer("retryDelaySeconds", 1, 86_400, null);
      if (retries == null || delay == null) {
        f.error("/maxRetries", "maxRetries and retryDelaySeconds go together");
        return RetrySchedule.DEFAULT;
      }
      return RetrySchedule.exponential(retries, delay);
    }
    // An empty schedule is one attempt and no retry, the same as maxRetries 0.
    List<Integer> schedule = f.integers("retrySchedule", 0, 20, 1, 86_400);
    return schedule == null ? RetrySchedule.DEFAULT : List.copyOf(schedule);
  }
}
