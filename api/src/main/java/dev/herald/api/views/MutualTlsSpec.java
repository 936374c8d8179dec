package dev.herald.api.views;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.subscription.EndpointAuth;
import dev.herald.core.tls.ClientCertificate;
import dev.herald.core.tls.InvalidClientCertificateException;
import java.time.Instant;
import java.util.Locale;

/**
 * The {@code mtls} variant of a subscription's {@code auth}: {@code {"type": "mtls",
 * "certificate": "<PEM chain>", "privateKey": "<PEM key>", "caCertificates": "<PEM>"?}}. Refused
 * with the field at fault: a text that is not PEM of the right kind, a key that is not the
 * certificate's, an encrypted key, a certificate expired or not yet valid, and an endpoint URL that
 * is not https (a client certificate means nothing without TLS).
 */
final class MutualTlsSpec {

  private MutualTlsSpec() {}

  /**
   * The credential, or none when a field is wrong; errors go to {@code f}. The credential {@code
   * stored} before a change, given again unchanged, is not checked against the clock: an expired
   * certificate blocks no other change (a pause, say) until it is replaced.
   */
  static EndpointAuth parse(JsonFields f, JsonNode node, EndpointAuth stored) {
    String certificate = pem(f, node, "certificate", true);
    String privateKey = pem(f, node, "privateKey", true);
    String caCertificates = pem(f, node, "caCertificates", false);
    JsonNode url = f.node("url");
    if (url != null && url.isTextual()
        && !url.textValue().toLowerCase(Locale.ROOT).startsWith("https://")) {
      f.error("/url", "must be https for mtls auth: the client certificate is presented on TLS");
    }
    JsonNode ca = node.get("caCertificates");
    boolean caGiven = ca != null && !ca.isNull();
    if (certificate == null || privateKey == null || caGiven && caCertificates == null) {
      return EndpointAuth.NONE;
    }
    EndpointAuth.MutualTls given = new EndpointAuth.MutualTls(certificate, privateKey, caCertificates);
    try {
      ClientCertificate read = ClientCertificate.parse(certificate, privateKey, caCertificates);
      if (!given.equals(stored)) {
        read.checkValidAt(Instant.now());
      }
    } catch (InvalidClientCertificateException e) {
      f.error("/auth/" + e.field(), e.getMessage());
      return EndpointAuth.NONE;
    }
    return given;
  }

  private static String pem(JsonFields f, JsonNode node, String name, boolean required) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      if (required) {
        f.error("/auth/" + name, "is required");
      }
      return null;
    }
    int max = EndpointAuthSpec.MAX_PEM_LENGTH;
    if (!value.isTextual() || value.textValue().isBlank() || JsonFields.length(value.textValue()) > max) {
      f.error("/auth/" + name, "must be PEM text of 1 to " + max + " characters");
      return null;
    }
    if (value.textValue().chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f)) {
      f.error("/auth/" + name, "must not contain control characters other than line breaks");
      return null;
    }
    return value.textValue();
  }
}
