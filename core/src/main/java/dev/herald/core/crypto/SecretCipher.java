package dev.herald.core.crypto;

import dev.herald.core.memo.Memo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals endpoint secrets for the database with AES-256-GCM: {@code hsec:v1:<keyId>:<base64url of
 * a 12-byte nonce and the ciphertext with its tag>}. The context (which row and column a value
 * belongs to) is authenticated too, so a sealed value copied to another row does not open.
 * A value stored before encryption existed ({@code whsec_…}) opens as itself until it is
 * re-sealed by {@code herald secrets rotate-key}.
 */
public final class SecretCipher {

  private static final String PREFIX = "hsec:v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * How many opened values are remembered: every attempt opens its subscription's secret, and
   * opening it again (an AES key schedule and a GCM pass) was about 3 % of an attempt's CPU.
   */
  static final int OPENED_KEPT = 10_000;

  private final SecretKeyRing keys;
  private final Memo<Sealed, String> opened = new Memo<>(OPENED_KEPT, this::openNow);

  /** A sealed value and the context it was sealed with: what opening it depends on. */
  private record Sealed(String stored, String context) {}

  public SecretCipher(SecretKeyRing keys) {
    this.keys = keys;
  }

  /** Seals {@code plain} (null stays null) with the current key, bound to {@code context}. */
  public String seal(String plain, String context) {
    if (plain == null) {
      return null;
    }
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    byte[] sealed = run(Cipher.ENCRYPT_MODE, keys.current(), nonce, context,
        plain.getBytes(StandardCharsets.UTF_8));
    ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed);
    return PREFIX + keys.currentId() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
  }

  /**
   * Opens a value sealed with any key of the ring (null stays null; a legacy clear value is
   * returned as it is).
   *
   * @throws IllegalStateException when its key is not configured or it was tampered with
   */
  public String open(String stored, String context) {
    if (stored == null || !stored.startsWith(PREFIX)) {
      return stored;
    }
    return opened.get(new Sealed(stored, context));
  }

  private String openNow(Sealed sealedValue) {
    String stored = sealedValue.stored();
    String context = sealedValue.context();
    int colon = stored.indexOf(':', PREFIX.length());
    if (colon < 0) {
      throw new IllegalStateException("a sealed secret without a key id");
    }
    String keyId = stored.substring(PREFIX.length(), colon);
    byte[] key =
        keys.find(keyId)
            .orElseThrow(() -> new IllegalStateException(
                "a secret is sealed with key " + keyId + ", which is neither HERALD_SECRET_KEY nor"
                    + " one of HERALD_PREVIOUS_SECRET_KEYS"));
    byte[] raw = Base64.getUrlDecoder().decode(stored.substring(colon + 1));
    byte[] nonce = Arrays.copyOf(raw, NONCE_BYTES);
    byte[] sealed = Arrays.copyOfRange(raw, NONCE_BYTES, raw.length);
    return new String(run(Cipher.DECRYPT_MODE, key, nonce, context, sealed), StandardCharsets.UTF_8);
  }

  /** Whether {@code stored} should be sealed again: in clear, or under a key that is not current. */
  public boolean needsResealing(String stored) {
    return stored != null && !stored.startsWith(PREFIX + keys.currentId() + ":");
  }

  /** The ring's current key id, e.g. for messages. */
  public String currentKeyId() {
    return keys.currentId();
  }

  /**
   * One AES-GCM cipher per thread, initialised afresh (key and nonce) for every use: looking one
   * up cost about 4 % of an attempt's CPU when every attempt opened its secret with a new one.
   */
  private static final ThreadLocal<Cipher> GCM = ThreadLocal.withInitial(() -> {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no AES/GCM", e);
    }
  });

  private static byte[] run(int mode, byte[] key, byte[] nonce, String context, byte[] input) {
    try {
      Cipher cipher = GCM.get();
      cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("a secret could not be " + (mode == Cipher.ENCRYPT_MODE
          ? "sealed" : "opened (wrong key, or the value was altered)"), e);
    }
  }
}
