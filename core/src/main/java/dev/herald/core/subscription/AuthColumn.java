package dev.herald.core.subscription;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.crypto.SecretCipher;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A subscription's {@link EndpointAuth} as the {@code auth} column holds it: the type and the
 * parts that are not secret as they are, and each secret part sealed, bound to its subscription
 * and field: {@code {"type": "basic", "username": "herald", "sealed": {"password": "hsec:v1:…"}}}.
 */
final class AuthColumn {

  private final ObjectMapper json;
  private final SecretCipher secrets;

  AuthColumn(ObjectMapper json, SecretCipher secrets) {
    this.json = json;
    this.secrets = secrets;
  }

  String store(String subscriptionId, EndpointAuth auth) {
    ObjectNode node = json.createObjectNode();
    node.put("type", auth.type());
    auth.plainParts().forEach(node::put);
    if (!auth.secretParts().isEmpty()) {
      ObjectNode sealed = node.putObject("sealed");
      auth.secretParts()
          .forEach((name, value) -> sealed.put(name, secrets.seal(value, context(subscriptionId, name))));
    }
    return node.toString();
  }

  EndpointAuth read(String subscriptionId, String stored) {
    JsonNode node = parse(stored);
    Map<String, String> parts = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!field.getKey().equals("type") && !field.getKey().equals("sealed")) {
        parts.put(field.getKey(), field.getValue().asText());
      }
    }
    JsonNode sealed = node.path("sealed");
    sealed.fields().forEachRemaining(
        f -> parts.put(f.getKey(), secrets.open(f.getValue().asText(), context(subscriptionId, f.getKey()))));
    return EndpointAuth.of(node.path("type").asText("none"), parts);
  }

  /** Whether a secret part is sealed with a key other than the current one. */
  boolean needsResealing(String stored) {
    for (JsonNode value : parse(stored).path("sealed")) {
      if (secrets.needsResealing(value.asText())) {
        return true;
      }
    }
    return false;
  }

  private JsonNode parse(String stored) {
    try {
      return json.readTree(stored == null ? "{\"type\":\"none\"}" : stored);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable auth column", e);
    }
  }

  private static String context(String subscriptionId, String part) {
    return SubscriptionDao.context(subscriptionId, "auth." + part);
  }
}
