package dev.herald.api.views;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.subscription.Subscription;
import java.util.HashSet;
import java.util.Set;

/**
 * The body of {@code PATCH /v1/subscriptions/{id}}: the fields it names replace the stored ones
 * and the result is validated exactly like a new subscription, with pointers into the patch. A
 * field set to {@code null} goes back to its default (and a required one is refused).
 *
 * <p>Of the objects, {@code disableAfter} and {@code headerNames} are merged: the fields given
 * replace the stored ones and the others stay ({@code {"disableAfter": {"failures": 5}}} keeps
 * the stored {@code seconds}). Their fields are independent of one another. {@code signature},
 * {@code body} and {@code auth} are replaced whole, since what their other fields mean depends
 * on the {@code scheme}, {@code format} or {@code type} given; {@code filter} and {@code
 * headers} are replaced whole as well, being the client's own sets of pairs.
 *
 * @param settings the settings after the patch
 * @param urlChanged whether the patch names a URL, which is then vetted again
 * @param isPaused the new paused state, or null to leave it
 * @param isActive the new active state, or null to leave it
 */
public record SubscriptionPatch(
    Subscription.Settings settings, boolean urlChanged, Boolean isPaused, Boolean isActive) {

  private static final Set<String> FIELDS = fields();

  /** The objects whose given fields are merged onto the stored ones. */
  static final Set<String> MERGED = Set.of("disableAfter", "headerNames");

  public static SubscriptionPatch parse(JsonNode patch, Subscription current, ObjectMapper json) {
    JsonFields given = new JsonFields(patch);
    given.refuseUnknown(FIELDS);
    Boolean isPaused = given.bool("isPaused");
    Boolean isActive = given.bool("isActive");
    SubscriptionSpec.refuseWildcards(given, patch.get("filter"));

    ObjectNode merged = SubscriptionSpec.asRequest(current, json);
    if (patch.has("maxRetries") || patch.has("retryDelaySeconds")) {
      merged.remove("retrySchedule");
    }
    patch.fields()
        .forEachRemaining(
            e -> {
              if (e.getKey().equals("headers")) {
                merged.set("headers", HeadersSpec.keepingStoredSecrets(e.getValue(), current.headers()));
              } else if (MERGED.contains(e.getKey())
                  && e.getValue().isObject()
                  && merged.get(e.getKey()) instanceof ObjectNode stored) {
                merged.set(e.getKey(), stored.deepCopy().setAll((ObjectNode) e.getValue()));
              } else if (SubscriptionSpec.FIELDS.contains(e.getKey())) {
                merged.set(e.getKey(), e.getValue());
              }
            });
    // Reports the errors of both steps at once.
    Subscription.Settings settings = SubscriptionSpec.parse(given.over(merged), current.auth());
    return new SubscriptionPatch(settings, patch.has("url"), isPaused, isActive);
  }

  private static Set<String> fields() {
    Set<String> fields = new HashSet<>(SubscriptionSpec.FIELDS);
    fields.add("isPaused");
    fields.add("isActive");
    return Set.copyOf(fields);
  }
}
