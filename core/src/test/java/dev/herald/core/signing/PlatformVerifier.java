package dev.herald.core.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's verification in Java, written from the platforms' published contracts rather than
 * from Herald's signer: parse the header, check the timestamp's tolerance, HMAC the raw body with
 * the secret's UTF-8 bytes, compare in constant time.
 */
public final class PlatformVerifier {

  static final long TOLERANCE_SECONDS = 300;

  private PlatformVerifier() {}

  /** {@code t=<unix>,v1=<hex>[,v1=<hex>…]} over {@code "<t>.<body>"}. */
  public static boolean timestampedHex(String secret, String header, byte[] body, long nowSeconds) {
    String t = null;
    List<String> signatures = new ArrayList<>();
    for (String part : header.split(",")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        return false;
      }
      String key = part.substring(0, eq);
      String value = part.substring(eq + 1);
      if (key.equals("t")) {
        t = value;
      } else if (key.equals("v1")) {
        signatures.add(value);
      }
    }
    if (t == null || signatures.isEmpty() || Math.abs(nowSeconds - Long.parseLong(t)) > TOLERANCE_SECONDS) {
      return false;
    }
    byte[] signed = (t + ".").getBytes(StandardCharsets.UTF_8);
    byte[] message = new byte[signed.length + body.length];
    System.arraycopy(signed, 0, message, 0, signed.length);
    System.arraycopy(body, 0, message, signed.length, body.length);
    byte[] expected = hmacHex(secret, message);
    return signatures.stream()
        .anyMatch(s -> MessageDigest.isEqual(expected, s.getBytes(StandardCharsets.UTF_8)));
  }

  /** {@code <prefix><hex>} over the raw body. */
  public static boolean rawBodyHex(String secret, String header, byte[] body, String prefix) {
    return header.startsWith(prefix)
        && MessageDigest.isEqual(
            hmacHex(secret, body), header.substring(prefix.length()).getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] hmacHex(String secret, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(message)).getBytes(StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
