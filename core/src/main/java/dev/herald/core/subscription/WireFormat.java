package dev.herald.core.subscription;

import dev.herald.core.signing.SignatureScheme;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How a subscription's requests go on the wire, so that receivers written against a platform's own
 * webhook contract keep working: the HTTP method, the signature scheme and the names of Herald's
 * per-delivery headers, and what the body is.
 *
 * @param method {@code POST} or {@code PUT}
 */
public record WireFormat(
    String method, SignatureScheme signature, HeraldHeaderNames headerNames, BodyFormat body) {

  /** The methods a subscription may use. */
  public static final Set<String> METHODS = Set.of("POST", "PUT");

  /** Herald's own: POST, signed with Standard Webhooks. */
  public static final WireFormat DEFAULT =
      new WireFormat(
          "POST", new SignatureScheme.StandardWebhooks(), HeraldHeaderNames.DEFAULT, BodyFormat.STANDARD);

  public WireFormat {
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(headerNames, "headerNames");
    Objects.requireNonNull(body, "body");
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException("method must be POST or PUT: " + method);
    }
  }

  /** The signature as stored and shown: {@code scheme}, and {@code header} and {@code prefix} where they apply. */
  public Map<String, String> signatureFields() {
    return signature.fields();
  }

  /** The header names as stored: a dropped header as an empty name. */
  public Map<String, String> storedHeaderNames() {
    return storedHeaderNames(headerNames);
  }

  /** {@code names} as stored: a dropped header as an empty name. */
  public static Map<String, String> storedHeaderNames(HeraldHeaderNames names) {
    Map<String, String> stored = new LinkedHashMap<>();
    names.asMap().forEach((field, name) -> stored.put(field, name == null ? "" : name));
    return stored;
  }

  /** The header names read back from {@link #storedHeaderNames()}. */
  public static HeraldHeaderNames headerNamesOf(Map<String, String> stored) {
    Map<String, String> names = new LinkedHashMap<>();
    stored.forEach((field, name) -> names.put(field, name.isEmpty() ? null : name));
    return HeraldHeaderNames.of(names);
  }

  /** The scheme named by {@link #signatureFields()}. */
  public static SignatureScheme signatureOf(Map<String, String> fields) {
    return SignatureScheme.of(fields.get("scheme"), fields.get("header"), fields.get("prefix"));
  }
}
