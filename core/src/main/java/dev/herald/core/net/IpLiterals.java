package dev.herald.core.net;

import java.util.Arrays;

/**
 * Numeric address spellings, parsed by hand so that nothing here can ever reach DNS.
 *
 * <p>Every method returns the address as raw bytes (4 for IPv4, 16 for IPv6) or {@code null} when
 * the text is not that kind of literal. Raw bytes keep an IPv4-mapped IPv6 address distinct from
 * its IPv4 address, which {@link java.net.InetAddress} would silently merge.
 */
final class IpLiterals {

  private static final long IPV4_MAX = 0xFFFF_FFFFL;

  private IpLiterals() {}

  /**
   * An IPv4 address spelled the way {@code inet_aton} accepts it: 1–4 dot-separated parts, each
   * decimal, octal (leading {@code 0}) or hex ({@code 0x}); the last part fills the remaining
   * bytes, so {@code 2130706433}, {@code 127.1} and {@code 0x7f.1} all mean 127.0.0.1.
   */
  static byte[] parseIpv4Lenient(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length > 4) {
      return null;
    }
    long value = 0;
    for (int i = 0; i < parts.length; i++) {
      long part = parseNumber(parts[i]);
      boolean last = i == parts.length - 1;
      long max = last ? IPV4_MAX >>> (8 * (parts.length - 1)) : 255;
      if (part < 0 || part > max) {
        return null;
      }
      value = last ? (value << (8 * (4 - i))) | part : (value << 8) | part;
    }
    return toIpv4Bytes(value);
  }

  /** An IPv4 address in strict dotted-quad form: four decimal parts, no leading zeros. */
  static byte[] parseDottedQuad(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    long value = 0;
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !allDigits(part, 10)
          || (part.length() > 1 && part.charAt(0) == '0')) {
        return null;
      }
      int octet = Integer.parseInt(part);
      if (octet > 255) {
        return null;
      }
      value = (value << 8) | octet;
    }
    return toIpv4Bytes(value);
  }

  /**
   * An IPv6 address in RFC 4291 text form (groups of 1–4 hex digits, at most one {@code ::}, an
   * optional dotted-quad tail). Zone identifiers ({@code %eth0}) are not accepted.
   */
  static byte[] parseIpv6(String text) {
    if (text.isEmpty() || text.length() > 45) {
      return null;
    }
    String s = text;
    byte[] v4Tail = null;
    if (s.indexOf('.') >= 0) {
      int colon = s.lastIndexOf(':');
      if (colon < 0) {
        return null;
      }
      v4Tail = parseDottedQuad(s.substring(colon + 1));
      if (v4Tail == null) {
        return null;
      }
      s = s.substring(0, colon + 1) + "0:0";
    }
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    int[] head = groups(gap >= 0 ? s.substring(0, gap) : s);
    int[] tail = groups(gap >= 0 ? s.substring(gap + 2) : "");
    if (head == null || tail == null) {
      return null;
    }
    int count = head.length + tail.length;
    if (gap >= 0 ? count > 7 : count != 8) {
      return null;
    }
    byte[] bytes = new byte[16];
    for (int i = 0; i < head.length; i++) {
      putGroup(bytes, i, head[i]);
    }
    for (int i = 0; i < tail.length; i++) {
      putGroup(bytes, 8 - tail.length + i, tail[i]);
    }
    if (v4Tail != null) {
      System.arraycopy(v4Tail, 0, bytes, 12, 4);
    }
    return bytes;
  }

  /**
   * Whether the last label of a host name is a number ({@code 123}, {@code 0x1f}), as in the WHATWG
   * URL standard: such a host can only be an IPv4 address, never a name to look up.
   */
  static boolean endsInNumber(String host) {
    String label = host.substring(host.lastIndexOf('.') + 1);
    if (label.startsWith("0x")) {
      return allDigits(label.substring(2), 16);
    }
    return !label.isEmpty() && allDigits(label, 10);
  }

  /**
   * Conventional text for raw address bytes: dotted quad, or RFC 5952 compressed IPv6 (with an
   * IPv4-mapped address shown as {@code ::ffff:a.b.c.d}).
   */
  static String format(byte[] address) {
    if (address.length == 4) {
      return (address[0] & 0xFF) + "." + (address[1] & 0xFF) + "." + (address[2] & 0xFF) + "."
          + (address[3] & 0xFF);
    }
    if (isIpv4Mapped(address)) {
      return "::ffff:" + format(Arrays.copyOfRange(address, 12, 16));
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && group(address, j) == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append(i == 0 ? "::" : ":");
        i += bestLength - 1;
        continue;
      }
      text.append(Integer.toHexString(group(address, i)));
      if (i < 7) {
        text.append(':');
      }
    }
    return text.toString();
  }

  /** Whether 16 address bytes are an IPv4-mapped address, {@code ::ffff:0:0/96}. */
  static boolean isIpv4Mapped(byte[] address) {
    if (address.length != 16) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (address[i] != 0) {
        return false;
      }
    }
    return address[10] == (byte) 0xFF && address[11] == (byte) 0xFF;
  }

  private static long parseNumber(String part) {
    String digits = part;
    int radix = 10;
    if (part.startsWith("0x") || part.startsWith("0X")) {
      digits = part.substring(2);
      radix = 16;
      if (digits.isEmpty()) {
        return 0;
      }
    } else if (part.length() > 1 && part.charAt(0) == '0') {
      digits = part.substring(1);
      radix = 8;
    }
    if (digits.isEmpty() || !allDigits(digits, radix)) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < digits.length(); i++) {
      value = value * radix + Character.digit(digits.charAt(i), radix);
      if (value > IPV4_MAX) {
        return -1;
      }
    }
    return value;
  }

  private static int[] groups(String text) {
    if (text.isEmpty()) {
      return new int[0];
    }
    String[] parts = text.split(":", -1);
    int[] values = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty() || part.length() > 4 || !allDigits(part, 16)) {
        return null;
      }
      values[i] = Integer.parseInt(part, 16);
    }
    return values;
  }

  private static boolean allDigits(String text, int radix) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c > 0x7F || Character.digit(c, radix) < 0) {
        return false;
      }
    }
    return true;
  }

  private static byte[] toIpv4Bytes(long value) {
    return new byte[] {
      (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
    };
  }

  private static void putGroup(byte[] bytes, int index, int value) {
    bytes[2 * index] = (byte) (value >>> 8);
    bytes[2 * index + 1] = (byte) value;
  }

  private static int group(byte[] bytes, int index) {
    return ((bytes[2 * index] & 0xFF) << 8) | (bytes[2 * index + 1] & 0xFF);
  }
}
