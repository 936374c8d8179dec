package dev.herald.api.views;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.subscription.EndpointAuth;
import dev.herald.core.subscription.WireFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A subscription's {@code auth} as a client sends it: {@code {"type": "basic", "username": …,
 * "password": …}}, {@code {"type": "bearer", "token": …}} or {@code {"type":
 * "oauth2-client-credentials", "tokenUrl": …, "clientId": …, "clientSecret": …, "scope"?,
 * "audience"?, "clientAuthentication"?}} or {@code {"type": "mtls", "certificate": …,
 * "privateKey": …, "caCertificates"?}} (PEM texts, checked: readable, the key the certificate's,
 * the certificate valid now, the URL https); null or absent for none.
 */
final class EndpointAuthSpec {

  private static final Map<String, Set<String>> FIELDS =
      Map.of(
          "basic", Set.of("type", "username", "password"),
          "bearer", Set.of("type", "token"),
          EndpointAuth.ApiKey.TYPE, Set.of("type", "header", "value"),
          EndpointAuth.OAuth2ClientCredentials.TYPE,
          Set.of("type", "tokenUrl", "clientId", "clientSecret", "scope", "audience",
              "clientAuthentication"),
          EndpointAuth.MutualTls.TYPE, Set.of("type", "certificate", "privateKey", "caCertificates"));

  /** The most characters of one PEM field: a chain of a few certificates, or a CA bundle. */
  static final int MAX_PEM_LENGTH = 64 * 1024;

  private EndpointAuthSpec() {}

  /** The credentials, or none where absent; errors go to {@code f}. */
  static EndpointAuth parse(
      JsonFields f, Map<String, String> customHeaders, WireFormat wire, EndpointAuth stored) {
    JsonNode node = f.node("auth");
    if (node == null || node.isNull()) {
      return EndpointAuth.NONE;
    }
    if (!node.isObject()) {
      f.error("/auth", "must be an object {type, …}");
      return EndpointAuth.NONE;
    }
    JsonNode typeNode = node.get("type");
    String type = typeNode == null || !typeNode.isTextual() ? null : typeNode.textValue();
    if (type == null || !FIELDS.containsKey(type)) {
      f.error("/auth/type", "must be basic, bearer, api-key, " + EndpointAuth.OAuth2ClientCredentials.TYPE
          + " or " + EndpointAuth.MutualTls.TYPE);
      return EndpointAuth.NONE;
    }
    boolean valid = true;
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.get(type).contains(name)) {
        f.error("/auth/" + name, "is not a field of " + type + " auth");
        valid = false;
      }
    }
    if (type.equals(EndpointAuth.MutualTls.TYPE)) {
      EndpointAuth mtls = MutualTlsSpec.parse(f, node, stored);
      return valid ? mtls : EndpointAuth.NONE;
    }
    if (!type.equals(EndpointAuth.ApiKey.TYPE)
        && customHeaders.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("authorization"))) {
      f.error("/auth", "the subscription's headers already set Authorization; give one or the other");
      valid = false;
    }
    if (type.equals(EndpointAuth.ApiKey.TYPE)) {
      String header = part(f, node, "header", 256);
      String value = part(f, node, "value", 4096);
      if (header != null && !WireFormatSpec.TOKEN.matcher(header).matches()) {
        f.error("/auth/header", "must be an HTTP token (RFC 9110)");
        return EndpointAuth.NONE;
      }
      if (header != null
          && (WireFormatSpec.isHeraldsOwn(header)
              || WireFormatSpec.headersOf(wire).contains(header.toLowerCase(java.util.Locale.ROOT)))) {
        f.error("/auth/header", "is a header Herald sends itself");
        return EndpointAuth.NONE;
      }
      if (header != null && customHeaders.keySet().stream().anyMatch(h -> h.equalsIgnoreCase(header))) {
        f.error("/auth/header", "is also one of the subscription's headers");
        return EndpointAuth.NONE;
      }
      return valid && header != null && value != null
          ? new EndpointAuth.ApiKey(header, value)
          : EndpointAuth.NONE;
    }
    if (type.equals("basic")) {
      String username = part(f, node, "username", 256);
      String password = part(f, node, "password", 1024);
      if (username != null && username.indexOf(':') >= 0) {
        f.error("/auth/username", "must not contain ':' (RFC 7617)");
        return EndpointAuth.NONE;
      }
      return valid && username != null && password != null
          ? new EndpointAuth.Basic(username, password)
          : EndpointAuth.NONE;
    }
    if (type.equals(EndpointAuth.OAuth2ClientCredentials.TYPE)) {
      String tokenUrl = part(f, node, "tokenUrl", 2048);
      String clientId = part(f, node, "clientId", 256);
      String clientSecret = part(f, node, "clientSecret", 1024);
      String scope = optional(f, node, "scope", 1024);
      String audience = optional(f, node, "audience", 1024);
      String clientAuthentication = optional(f, node, "clientAuthentication", 10);
      if (clientAuthentication != null
          && !clientAuthentication.equals("basic") && !clientAuthentication.equals("post")) {
        f.error("/auth/clientAuthentication", "must be basic or post");
        valid = false;
      }
      return valid && tokenUrl != null && clientId != null && clientSecret != null
          ? new EndpointAuth.OAuth2ClientCredentials(
              tokenUrl, clientId, clientSecret, scope, audience, clientAuthentication)
          : EndpointAuth.NONE;
    }
    String token = part(f, node, "token", 4096);
    if (token != null && !token.matches("[A-Za-z0-9\\-._~+/]+=*")) {
      f.error("/auth/token", "must be a bearer token (RFC 6750: letters, digits and -._~+/ then =)");
      return EndpointAuth.NONE;
    }
    return valid && token != null ? new EndpointAuth.Bearer(token) : EndpointAuth.NONE;
  }

  private static String part(JsonFields f, JsonNode node, String name, int maxLength) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      f.error("/auth/" + name, "is required");
      return null;
    }
    if (!value.isTextual() || value.textValue().isEmpty() || JsonFields.length(value.textValue()) > maxLength) {
      f.error("/auth/" + name, "must be a string of 1 to " + maxLength + " characters");
      return null;
    }
    if (value.textValue().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      f.error("/auth/" + name, "must not contain control characters");
      return null;
    }
    return value.textValue();
  }

  private static String optional(JsonFields f, JsonNode node, String name, int maxLength) {
    JsonNode value = node.get(name);
    return value == null || value.isNull() ? null : part(f, node, name, maxLength);
  }

  /** The credentials as a client would send them again, secrets included: for merging a PATCH. */
  static JsonNode asRequest(EndpointAuth auth, ObjectMapper json) {
    if (auth instanceof EndpointAuth.None) {
      return json.nullNode();
    }
    ObjectNode node = json.createObjectNode();
    node.put("type", auth.type());
    auth.plainParts().forEach(node::put);
    auth.secretParts().forEach(node::put);
    return node;
  }
}
