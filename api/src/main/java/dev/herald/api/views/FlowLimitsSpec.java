package dev.herald.api.views;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.flow.FlowLimits;
import dev.herald.core.flow.FlowLimits.RateLimit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A subscription's flow limits as a client sends them: {@code "maxConcurrency": 1–1000} and
 * {@code "rateLimit": {"perSecond": N}} or {@code {"perMinute": N}} (N from 1 to 100,000), each
 * {@code null} or absent for no limit. A PATCH replaces {@code rateLimit} whole.
 */
final class FlowLimitsSpec {

  static final int MAX_CONCURRENCY = 1000;
  static final int MAX_RATE = 100_000;

  private FlowLimitsSpec() {}

  static FlowLimits parse(JsonFields f) {
    Integer max = f.integer("maxConcurrency", 1, MAX_CONCURRENCY, null);
    return new FlowLimits(max, rateLimit(f, f.node("rateLimit")));
  }

  private static RateLimit rateLimit(JsonFields f, JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    String shape = "must be {\"perSecond\": N} or {\"perMinute\": N}, N from 1 to " + MAX_RATE;
    if (!node.isObject() || node.size() != 1) {
      f.error("/rateLimit", shape);
      return null;
    }
    String period = node.fieldNames().next();
    if (!period.equals("perSecond") && !period.equals("perMinute")) {
      f.error("/rateLimit/" + period, "is not a rate limit period: " + shape);
      return null;
    }
    Integer count = f.integer(node.get(period), "/rateLimit/" + period, 1, MAX_RATE, null);
    if (count == null) {
      if (node.get(period).isNull()) {
        f.error("/rateLimit/" + period, "must be an integer from 1 to " + MAX_RATE);
      }
      return null;
    }
    return period.equals("perSecond") ? RateLimit.perSecond(count) : RateLimit.perMinute(count);
  }

  /** {@code {"perSecond": 10}}, or {@code null} for no rate limit. */
  static Map<String, Integer> shown(RateLimit rate) {
    if (rate == null) {
      return null;
    }
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put(rate.periodSeconds() == 1 ? "perSecond" : "perMinute", rate.count());
    return m;
  }

  /** Adds the limits to a subscription in the shape a client sends it. */
  static void addTo(ObjectNode node, FlowLimits flow) {
    if (flow.maxConcurrency() == null) {
      node.putNull("maxConcurrency");
    } else {
      node.put("maxConcurrency", flow.maxConcurrency());
    }
    Map<String, Integer> rate = shown(flow.rateLimit());
    if (rate == null) {
      node.putNull("rateLimit");
    } else {
      rate.forEach((k, v) -> node.putObject("rateLimit").put(k, v));
    }
  }
}
