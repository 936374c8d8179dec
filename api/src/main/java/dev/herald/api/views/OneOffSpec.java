package dev.herald.api.views;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.event.EventRequest;
import dev.herald.core.subscription.EndpointAuth;
import dev.herald.core.subscription.EventTypePattern;
import dev.herald.core.subscription.Subscription;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the body of {@code POST /v1/deliveries}: an event ({@code id}, {@code type}, {@code data},
 * {@code attributes}) and where and how to send it, with the fields and rules of a subscription
 * ({@code url}, {@code headers}, {@code auth}, {@code method}, {@code signature}, {@code
 * headerNames}, {@code body}, {@code retrySchedule} or {@code maxRetries} with {@code
 * retryDelaySeconds}, {@code timeoutSeconds}), and optionally the {@code secret} that signs it.
 * Every error of either part is reported in one 422.
 *
 * @param target the settings of the hidden subscription row the delivery goes to
 * @param secret the signing secret given on the request, or null for the tenant's
 * @param forRepeat what identifies the request besides the event, without secret values: a
 *     repeat of the same id must send the same
 */
public record OneOffSpec(
    EventRequest event, Subscription.Settings target, String secret, Map<String, Object> forRepeat) {

  /** The name a one-off delivery's target has, as templates see it. */
  public static final String TARGET_NAME = "one-off";

  private static final Set<String> EVENT_FIELDS = EventSpec.FIELDS;

  /** The subscription fields a one-off delivery takes. */
  private static final Set<String> TARGET_FIELDS =
      Set.of("url", "headers", "auth", "method", "signature", "headerNames", "body",
          "retrySchedule", "maxRetries", "retryDelaySeconds", "timeoutSeconds");

  /** The fields of {@code POST /v1/deliveries}; any other is refused. */
  public static final Set<String> FIELDS =
      Stream.of(EVENT_FIELDS, TARGET_FIELDS, Set.of("secret"))
          .flatMap(Set::stream)
          .collect(Collectors.toUnmodifiableSet());

  public static OneOffSpec parse(JsonNode body, ObjectMapper json) {
    JsonFields f = new JsonFields(body);
    f.refuseUnknown(FIELDS);
    EventRequest event = EventSpec.read(f);
    String secret = f.string("secret", false, 200);
    if (secret != null && !isSigningSecret(secret)) {
      f.error("/secret", "must be whsec_ and the base64 of 24 to 64 random bytes");
    }
    ObjectNode target = json.createObjectNode();
    TARGET_FIELDS.stream().filter(body::has).forEach(name -> target.set(name, body.get(name)));
    target.put("name", TARGET_NAME);
    boolean validType = event.type() != null && EventTypePattern.TYPE.matcher(event.type()).matches();
    target.putArray("events").add(validType ? event.type() : "*");
    // Throws with the errors of the event, the secret and the target together.
    Subscription.Settings settings = SubscriptionSpec.parse(f.over(target));
    return new OneOffSpec(event, settings, secret, forRepeat(settings, secret, json));
  }

  private static boolean isSigningSecret(String secret) {
    if (!secret.startsWith("whsec_")) {
      return false;
    }
    try {
      int length = Base64.getDecoder().decode(secret.substring("whsec_".length())).length;
      return length >= 24 && length <= 64;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static Map<String, Object> forRepeat(
      Subscription.Settings s, String secret, ObjectMapper json) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("url", s.url());
    m.put("headers", s.headers().shown());
    m.put("retrySchedule", s.retrySchedule());
    m.put("timeoutSeconds", s.timeoutSeconds());
    ObjectNode wire = json.createObjectNode();
    WireFormatSpec.addTo(wire, s.wire(), json);
    m.put("wire", wire);
    m.put("auth", s.auth() instanceof EndpointAuth.None ? null : s.auth().shown());
    // A signing secret is 24 or more random bytes: its hash tells a repeat without revealing it.
    m.put("secret", secret == null ? null : sha256(secret));
    return m;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "OneOffSpec[" + event.type() + " to " + target.url() + "]";
  }
}
