package dev.herald.core.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys that encrypt endpoint secrets at rest: the current one, which seals, and previous
 * ones, which only open what they sealed until {@code herald secrets rotate-key} re-seals it.
 * Each key is 32 random bytes, given in base64; its id is the first 8 hex digits of its SHA-256,
 * stored next to every ciphertext so that keys can rotate.
 */
public final class SecretKeyRing {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String currentId;
  private final Map<String, byte[]> keys;

  private SecretKeyRing(byte[] current, List<byte[]> previous) {
    this.keys = new LinkedHashMap<>();
    this.currentId = idOf(current);
    keys.put(currentId, current.clone());
    for (byte[] key : previous) {
      keys.putIfAbsent(idOf(key), key.clone());
    }
  }

  /**
   * Reads {@code HERALD_SECRET_KEY} and {@code HERALD_PREVIOUS_SECRET_KEYS} (comma-separated).
   *
   * @throws IllegalArgumentException naming what is wrong, never echoing a key
   */
  public static SecretKeyRing parse(String current, String previousCommaSeparated) {
    if (current == null || current.isBlank()) {
      throw new IllegalArgumentException(
          "no secret key: set HERALD_SECRET_KEY to 32 random bytes in base64"
              + " (herald secrets new-key makes one)");
    }
    List<byte[]> previous = new ArrayList<>();
    if (previousCommaSeparated != null) {
      for (String part : previousCommaSeparated.split(",")) {
        if (!part.isBlank()) {
          previous.add(decode(part.trim(), "HERALD_PREVIOUS_SECRET_KEYS"));
        }
      }
    }
    return new SecretKeyRing(decode(current.trim(), "HERALD_SECRET_KEY"), previous);
  }

  /** A ring of one new random key. */
  public static SecretKeyRing generate() {
    return parse(newKey(), null);
  }

  /** A new key: 32 random bytes in base64. */
  public static String newKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  /** The id of the key that seals. */
  public String currentId() {
    return currentId;
  }

  byte[] current() {
    return keys.get(currentId);
  }

  Optional<byte[]> find(String id) {
    return Optional.ofNullable(keys.get(id));
  }

  /** The ids of every key, the current one first. */
  public List<String> ids() {
    return List.copyOf(keys.keySet());
  }

  private static byte[] decode(String base64, String name) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " is not base64");
    }
    if (key.length != 32) {
      throw new IllegalArgumentException(
          name + " must be 32 bytes in base64 (AES-256), not " + key.length + " bytes");
    }
    return key;
  }

  static String idOf(byte[] key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
      return HexFormat.of().formatHex(Arrays.copyOf(digest, 4));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "SecretKeyRing" + ids() + " (keys not shown)";
  }

}
