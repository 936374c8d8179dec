package dev.herald.api.views;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.signing.SignatureScheme;
import dev.herald.core.subscription.BodyFormat;
import dev.herald.core.subscription.HeraldHeaderNames;
import dev.herald.core.subscription.WireFormat;
import dev.herald.core.template.TemplateCompileException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A subscription's {@code method}, {@code signature} and {@code headerNames} as a client sends
 * them: {@code "method": "PUT"}, {@code "signature": {"scheme": "timestamped-hex", "header":
 * "X-Atelier-Signature"}}, {@code "headerNames": {"eventType": "X-Atelier-Event", "attempt": null}}.
 */
public final class WireFormatSpec {

  /** RFC 9110 token characters. */
  static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");

  private static final Set<String> SIGNATURE_FIELDS = Set.of("scheme", "header", "prefix");

  /** Headers Herald sends (or the transport sets) under names that never change. */
  private static final Set<String> HERALDS_OWN_FIXED =
      Set.of("content-type", "content-length", "host", "user-agent", "connection",
          "transfer-encoding");

  /** Headers Herald sends itself, which no signature header may take the name of. */
  private static final Set<String> HERALDS_OWN =
      Set.of("content-type", "content-length", "host", "user-agent", "connection",
          "transfer-encoding", "herald-event-type", "herald-delivery-id", "herald-attempt");

  private WireFormatSpec() {}

  /** Whether {@code name} is a header Herald sends itself (or one of its {@code webhook-*}). */
  static boolean isHeraldsOwn(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return HERALDS_OWN.contains(lower) || lower.startsWith("webhook-") || lower.startsWith("herald-");
  }

  /** The names, lower case, of the headers {@code wire} makes: its signature's and Herald's. */
  static Set<String> headersOf(WireFormat wire) {
    Set<String> names = new HashSet<>();
    wire.signature().headerNames().forEach(h -> names.add(h.toLowerCase(Locale.ROOT)));
    wire.headerNames().asMap().values().stream()
        .filter(java.util.Objects::nonNull)
        .forEach(h -> names.add(h.toLowerCase(Locale.ROOT)));
    return names;
  }

  /** The wire format's fields, as a client names them. */
  static final Set<String> FIELDS = Set.of("method", "signature", "headerNames", "body");

  /**
   * {@code current} with the fields that {@code with} names replaced: what a preview shows for a
   * wire format not yet saved. Errors are a 422 with pointers under {@code pointer}.
   */
  public static WireFormat override(
      JsonNode with, String pointer, WireFormat current, Map<String, String> customHeaders) {
    JsonFields f = JsonFields.nested(with, pointer);
    f.refuseUnknown(FIELDS);
    WireFormat given = parse(f, customHeaders);
    f.throwIfInvalid();
    return new WireFormat(
        with.hasNonNull("method") ? given.method() : current.method(),
        with.hasNonNull("signature") ? given.signature() : current.signature(),
        with.hasNonNull("headerNames") ? given.headerNames() : current.headerNames(),
        with.hasNonNull("body") ? given.body() : current.body());
  }

  /** The wire format, or the default where a field is absent; errors go to {@code f}. */
  static WireFormat parse(JsonFields f, Map<String, String> customHeaders) {
    String method = f.string("method", false, 10);
    if (method != null && !WireFormat.METHODS.contains(method)) {
      f.error("/method", "must be POST or PUT");
      method = null;
    }
    SignatureScheme signature = signature(f, customHeaders);
    SignatureScheme scheme = signature == null ? WireFormat.DEFAULT.signature() : signature;
    HeraldHeaderNames names = headerNames(f, customHeaders, scheme);
    return new WireFormat(method == null ? "POST" : method, scheme, names, body(f));
  }

  /**
   * {@code {"format": "standard"}} (Herald's envelope, the default), {@code {"format": "data"}},
   * {@code {"format": "template", "template": "<JSONata>"}}, or a built-in target format such as
   * {@code {"format": "slack"}}. A template that does not compile is reported with its position.
   */
  private static BodyFormat body(JsonFields f) {
    JsonNode node = f.node("body");
    if (node == null || node.isNull()) {
      return BodyFormat.STANDARD;
    }
    if (!node.isObject()) {
      f.error("/body", "must be an object {format, template}");
      return BodyFormat.STANDARD;
    }
    boolean valid = true;
    for (Iterator<String> fields = node.fieldNames(); fields.hasNext(); ) {
      String field = fields.next();
      if (!field.equals("format") && !field.equals("template")) {
        f.error("/body/" + field, "is not a field of body (format, template)");
        valid = false;
      }
    }
    JsonNode format = node.get("format");
    JsonNode template = node.get("template");
    if (format == null || format.isNull()) {
      if (template != null && !template.isNull()) {
        f.error("/body/format", "must be template when a template is given");
      }
      return BodyFormat.STANDARD;
    }
    String name = format.isTextual() ? format.textValue() : format.toString();
    if (!BodyFormat.names().contains(name)) {
      f.error("/body/format", "must be one of " + String.join(", ", BodyFormat.names()));
      return BodyFormat.STANDARD;
    }
    String source = null;
    if (name.equals("template")) {
      if (template == null || template.isNull()) {
        f.error("/body/template", "is required with format template");
        return BodyFormat.STANDARD;
      }
      if (!template.isTextual()) {
        f.error("/body/template", "must be a string: a JSONata expression");
        return BodyFormat.STANDARD;
      }
      source = template.textValue();
    } else if (template != null && !template.isNull()) {
      f.error("/body/template", "is only taken with format template");
      return BodyFormat.STANDARD;
    }
    if (!valid) {
      return BodyFormat.STANDARD;
    }
    try {
      return BodyFormat.of(name, source);
    } catch (TemplateCompileException e) {
      f.error("/body/template", "does not compile: " + e.getMessage() + " " + where(source, e.position()));
      return BodyFormat.STANDARD;
    }
  }

  /** {@code at position 17 (line 2, column 5)}: 0-based position, 1-based line and column. */
  private static String where(String source, int position) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < Math.min(position, source.length()); i++) {
      if (source.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return "at position " + position + " (line " + line + ", column " + column + ")";
  }

  /**
   * {@code {"eventType": "X-Atelier-Event", "attempt": null}}: renames, or with null drops, Herald's
   * per-delivery headers; a field not given keeps its {@code herald-*} name.
   */
  private static HeraldHeaderNames headerNames(
      JsonFields f, Map<String, String> customHeaders, SignatureScheme scheme) {
    JsonNode node = f.node("headerNames");
    if (node == null || node.isNull()) {
      return HeraldHeaderNames.DEFAULT;
    }
    if (!node.isObject()) {
      f.error("/headerNames", "must be an object {eventType, deliveryId, attempt}");
      return HeraldHeaderNames.DEFAULT;
    }
    Map<String, String> given = new LinkedHashMap<>();
    for (Iterator<String> fields = node.fieldNames(); fields.hasNext(); ) {
      String field = fields.next();
      JsonNode value = node.get(field);
      String pointer = "/headerNames/" + field;
      if (!HeraldHeaderNames.FIELDS.contains(field)) {
        f.error(pointer, "is not one of eventType, deliveryId, attempt");
      } else if (!value.isNull() && !value.isTextual()) {
        f.error(pointer, "must be a header name, or null to drop the header");
      } else if (value.isTextual() && !TOKEN.matcher(value.textValue()).matches()) {
        f.error(pointer, "must be an HTTP token (RFC 9110)");
      } else {
        given.put(field, value.textValue());
      }
    }
    HeraldHeaderNames names = HeraldHeaderNames.of(given);
    // Every header an attempt sends, by lower-case name: no two may be the same. The names not
    // given (kept as herald-*) first, so that a clash is reported at the field that was given.
    Set<String> taken = new HashSet<>(HERALDS_OWN_FIXED);
    customHeaders.keySet().forEach(h -> taken.add(h.toLowerCase(Locale.ROOT)));
    scheme.headerNames().forEach(h -> taken.add(h.toLowerCase(Locale.ROOT)));
    names.asMap().forEach((field, name) -> {
      if (name != null && !given.containsKey(field)) {
        taken.add(name.toLowerCase(Locale.ROOT));
      }
    });
    given.forEach((field, name) -> {
      if (name != null && !taken.add(name.toLowerCase(Locale.ROOT))) {
        f.error("/headerNames/" + field, "is the name of another header Herald sends");
      }
    });
    return names;
  }

  private static SignatureScheme signature(JsonFields f, Map<String, String> customHeaders) {
    JsonNode node = f.node("signature");
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      f.error("/signature", "must be an object {scheme, header, prefix}");
      return null;
    }
    boolean valid = true;
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!SIGNATURE_FIELDS.contains(name)) {
        f.error("/signature/" + name, "is not a field of signature (scheme, header, prefix)");
        valid = false;
      } else if (!node.get(name).isTextual()) {
        f.error("/signature/" + name, "must be a string");
        valid = false;
      }
    }
    if (!valid) {
      return null;
    }
    String header = text(node, "header");
    if (header != null) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (HERALDS_OWN.contains(lower) || lower.startsWith("webhook-")) {
        f.error("/signature/header", "is a header Herald sends itself");
        return null;
      }
      if (customHeaders.keySet().stream().anyMatch(h -> h.equalsIgnoreCase(header))) {
        f.error("/signature/header", "is also one of the subscription's headers");
        return null;
      }
    }
    try {
      return SignatureScheme.of(text(node, "scheme"), header, text(node, "prefix"));
    } catch (IllegalArgumentException e) {
      f.error("/signature", e.getMessage());
      return null;
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null ? null : value.textValue();
  }

  /** The wire format in the shape a client sends it. */
  static void addTo(ObjectNode node, WireFormat wire, ObjectMapper json) {
    node.put("method", wire.method());
    node.set("signature", json.valueToTree(wire.signatureFields()));
    node.set("headerNames", json.valueToTree(wire.headerNames().asMap()));
    node.set("body", json.valueToTree(wire.body().fields()));
  }
}
