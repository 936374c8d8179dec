package dev.herald.core.subscription;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.crypto.SecretCipher;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A subscription's {@link CustomHeaders} as the {@code headers} column holds them: a plain value
 * as a string, a secret one sealed and bound to its subscription and header name: {@code
 * {"X-Team": "billing", "X-Api-Key": {"sealed": "hsec:v1:…"}}}.
 */
final class HeadersColumn {

  private final ObjectMapper json;
  private final SecretCipher secrets;

  HeadersColumn(ObjectMapper json, SecretCipher secrets) {
    this.json = json;
    this.secrets = secrets;
  }

  String store(String subscriptionId, CustomHeaders headers) {
    ObjectNode node = json.createObjectNode();
    headers.values().forEach((name, value) -> {
      if (headers.isSecret(name)) {
        node.putObject(name).put("sealed", secrets.seal(value, context(subscriptionId, name)));
      } else {
        node.put(name, value);
      }
    });
    return node.toString();
  }

  CustomHeaders read(String subscriptionId, String stored) {
    Map<String, String> values = new LinkedHashMap<>();
    Set<String> secret = new HashSet<>();
    parse(stored).fields().forEachRemaining(field -> {
      JsonNode value = field.getValue();
      if (value.isObject()) {
        values.put(field.getKey(),
            secrets.open(value.path("sealed").asText(), context(subscriptionId, field.getKey())));
        secret.add(field.getKey());
      } else {
        values.put(field.getKey(), value.asText());
      }
    });
    return new CustomHeaders(values, secret);
  }

  /** Whether a secret value is sealed with a key other than the current one. */
  boolean needsResealing(String stored) {
    for (JsonNode value : parse(stored)) {
      if (value.isObject() && secrets.needsResealing(value.path("sealed").asText())) {
        return true;
      }
    }
    return false;
  }

  private JsonNode parse(String stored) {
    try {
      return json.readTree(stored == null ? "{}" : stored);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable headers column", e);
    }
  }

  private static String context(String subscriptionId, String name) {
    return SubscriptionDao.context(subscriptionId, "headers." + name);
  }
}
