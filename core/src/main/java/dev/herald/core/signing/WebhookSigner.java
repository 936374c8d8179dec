package dev.herald.core.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: HMAC-SHA256 over {@code <id>.<timestamp>.<body>} keyed with the
 * base64-decoded secret after {@code whsec_}, sent as {@code v1,<base64>}, one per valid secret.
 */
public final class WebhookSigner {

  /** The prefix of every endpoint secret. */
  public static final String SECRET_PREFIX = "whsec_";

  private static final SecureRandom RANDOM = new SecureRandom();

  private WebhookSigner() {}

  /** A new secret: {@code whsec_} and the base64 of 24 random bytes. */
  public static String newSecret() {
    byte[] key = new byte[24];
    RANDOM.nextBytes(key);
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /**
   * The {@code webhook-signature} header value: {@code v1,<sig>} for each secret, space-separated.
   *
   * @param secrets the secrets that sign (the current one, and during a rotation's grace the old one)
   * @param messageId the {@code webhook-id}
   * @param timestampSeconds the {@code webhook-timestamp}
   * @param body the exact body bytes sent
   */
  public static String signatureHeader(
      List<String> secrets, String messageId, long timestampSeconds, byte[] body) {
    StringJoiner header = new StringJoiner(" ");
    for (String secret : secrets) {
      header.add("v1," + sign(secret, messageId, timestampSeconds, body));
    }
    return header.toString();
  }

  /** The base64 HMAC-SHA256 of {@code <id>.<timestamp>.<body>} under one secret. */
  public static String sign(String secret, String messageId, long timestampSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(keyBytes(secret), "HmacSHA256"));
      mac.update((messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  private static byte[] keyBytes(String secret) {
    String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
    return Base64.getDecoder().decode(encoded);
  }
}
