package dev.herald.core.ids;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Makes ids prefixed by kind ({@code sub_}, {@code evt_}, {@code dlv_}, …): 48 bits of milliseconds
 * then 80 random bits, in Crockford base32, so ids of one kind sort by creation time.
 */
public final class Ids {

  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public Ids(Clock clock) {
    this.clock = clock;
  }

  /** A new id such as {@code dlv_01jd4x…}: the prefix, an underscore, 26 characters. */
  public String next(String prefix) {
    long millis = clock.millis();
    byte[] tail = new byte[10];
    random.nextBytes(tail);
    char[] out = new char[26];
    for (int i = 9; i >= 0; i--) {
      out[9 - i] = ALPHABET[(int) ((millis >>> (i * 5)) & 31)];
    }
    long hi = 0;
    for (int i = 0; i < 5; i++) {
      hi = (hi << 8) | (tail[i] & 0xff);
    }
    long lo = 0;
    for (int i = 5; i < 10; i++) {
      lo = (lo << 8) | (tail[i] & 0xff);
    }
    for (int i = 0; i < 8; i++) {
      out[10 + i] = ALPHABET[(int) ((hi >>> ((7 - i) * 5)) & 31)];
      out[18 + i] = ALPHABET[(int) ((lo >>> ((7 - i) * 5)) & 31)];
    }
    return prefix + "_" + new String(out);
  }
}
