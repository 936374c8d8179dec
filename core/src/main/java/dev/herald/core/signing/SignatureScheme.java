package dev.herald.core.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How an attempt is signed, so that receivers written against a platform's own published webhook
 * contract keep verifying: Standard Webhooks (Herald's default), a timestamped hex HMAC in one
 * header ({@code t=…,v1=…}), a hex HMAC of the raw body with an optional prefix, or nothing.
 *
 * <p>Every scheme signs the exact body bytes sent. {@code secrets} is newest first: during a
 * rotation's grace the old secret follows the new one.
 */
public sealed interface SignatureScheme {

  /** The header the two hex schemes use unless told otherwise. */
  String DEFAULT_HEADER = "Herald-Signature";

  /** The scheme's name in the API: {@code standard-webhooks}, {@code timestamped-hex}, … */
  String scheme();

  /** As stored and shown: {@code scheme}, and {@code header} and {@code prefix} where they apply. */
  default Map<String, String> fields() {
    return Map.of("scheme", scheme());
  }

  /** The names of the headers it adds to every attempt. */
  List<String> headerNames();

  /** The headers to send for this attempt. */
  List<SignatureHeader> sign(List<String> secrets, String messageId, long timestampSeconds, byte[] body);

  /**
   * {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature} ({@code v1,<base64>}
   * per secret), keyed with the base64-decoded secret: any Standard Webhooks library verifies it.
   */
  record StandardWebhooks() implements SignatureScheme {
    @Override
    public String scheme() {
      return "standard-webhooks";
    }

    @Override
    public List<String> headerNames() {
      return List.of("webhook-id", "webhook-timestamp", "webhook-signature");
    }

    @Override
    public List<SignatureHeader> sign(
        List<String> secrets, String messageId, long timestampSeconds, byte[] body) {
      return List.of(
          new SignatureHeader("webhook-id", messageId),
          new SignatureHeader("webhook-timestamp", Long.toString(timestampSeconds)),
          new SignatureHeader(
              "webhook-signature", WebhookSigner.signatureHeader(secrets, messageId, timestampSeconds, body)));
    }
  }

  /**
   * One header, {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">}, with one
   * {@code v1=} per valid secret. The HMAC key is the secret exactly as the API showed it, as UTF-8
   * bytes ({@code createHmac('sha256', secret)}).
   */
  record TimestampedHex(String header) implements SignatureScheme {
    public TimestampedHex {
      Objects.requireNonNull(header, "header");
    }

    @Override
    public String scheme() {
      return "timestamped-hex";
    }

    @Override
    public Map<String, String> fields() {
      return orderedFields("scheme", scheme(), "header", header);
    }

    @Override
    public List<String> headerNames() {
      return List.of(header);
    }

    @Override
    public List<SignatureHeader> sign(
        List<String> secrets, String messageId, long timestampSeconds, byte[] body) {
      StringBuilder value = new StringBuilder("t=").append(timestampSeconds);
      byte[] signed = concat((timestampSeconds + ".").getBytes(StandardCharsets.US_ASCII), body);
      for (String secret : secrets) {
        value.append(",v1=").append(hexHmac(secret, signed));
      }
      return List.of(new SignatureHeader(header, value.toString()));
    }
  }

  /**
   * One header, {@code <prefix><hex HMAC-SHA256 of the raw body>}, keyed with the secret as the
   * API showed it (UTF-8). Only the newest secret signs: the value has room for one.
   */
  record RawBodyHex(String header, String prefix) implements SignatureScheme {
    public RawBodyHex {
      Objects.requireNonNull(header, "header");
      Objects.requireNonNull(prefix, "prefix");
    }

    @Override
    public String scheme() {
      return "hmac-sha256-hex";
    }

    @Override
    public Map<String, String> fields() {
      return orderedFields("scheme", scheme(), "header", header, "prefix", prefix);
    }

    @Override
    public List<String> headerNames() {
      return List.of(header);
    }

    @Override
    public List<SignatureHeader> sign(
        List<String> secrets, String messageId, long timestampSeconds, byte[] body) {
      return List.of(new SignatureHeader(header, prefix + hexHmac(secrets.get(0), body)));
    }
  }

  /** No signature header, for targets that verify nothing (a Slack incoming webhook). */
  record Unsigned() implements SignatureScheme {
    @Override
    public String scheme() {
      return "none";
    }

    @Override
    public List<String> headerNames() {
      return List.of();
    }

    @Override
    public List<SignatureHeader> sign(
        List<String> secrets, String messageId, long timestampSeconds, byte[] body) {
      return List.of();
    }
  }

  /**
   * The scheme named in a subscription.
   *
   * @param scheme {@code standard-webhooks}, {@code timestamped-hex}, {@code hmac-sha256-hex} or
   *     {@code none}; {@code null} is the default, Standard Webhooks
   * @param header the header of the two hex schemes, {@code null} for {@link #DEFAULT_HEADER}
   * @param prefix what precedes the hex of {@code hmac-sha256-hex}, e.g. {@code sha256=}
   * @throws IllegalArgumentException naming what is wrong
   */
  static SignatureScheme of(String scheme, String header, String prefix) {
    String name = scheme == null ? "standard-webhooks" : scheme;
    List<String> problems = new ArrayList<>();
    boolean hex = name.equals("timestamped-hex") || name.equals("hmac-sha256-hex");
    if (header != null && !hex) {
      problems.add("header applies to timestamped-hex and hmac-sha256-hex only");
    }
    if (header != null && !isToken(header)) {
      problems.add("header must be an HTTP token (RFC 9110): " + header);
    }
    if (prefix != null && !name.equals("hmac-sha256-hex")) {
      problems.add("prefix applies to hmac-sha256-hex only");
    }
    if (prefix != null && (prefix.length() > 32 || !prefix.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
      problems.add("prefix must be at most 32 visible ASCII characters");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    String h = header == null ? DEFAULT_HEADER : header;
    return switch (name) {
      case "standard-webhooks" -> new StandardWebhooks();
      case "timestamped-hex" -> new TimestampedHex(h);
      case "hmac-sha256-hex" -> new RawBodyHex(h, prefix == null ? "" : prefix);
      case "none" -> new Unsigned();
      default -> throw new IllegalArgumentException(
          "scheme must be one of standard-webhooks, timestamped-hex, hmac-sha256-hex, none: " + name);
    };
  }

  private static Map<String, String> orderedFields(String... keysAndValues) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      fields.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return fields;
  }

  private static boolean isToken(String s) {
    return !s.isEmpty() && s.length() <= 256
        && s.chars().allMatch(c -> c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0);
  }

  private static String hexHmac(String secret, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(message));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
