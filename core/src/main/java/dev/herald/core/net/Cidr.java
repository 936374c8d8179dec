package dev.herald.core.net;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8}, {@code fc00::/7}); a bare address
 * is a single-address network ({@code /32} or {@code /128}).
 *
 * <p>Parsing never touches DNS: the address must be a numeric literal, IPv4 in strict dotted-quad
 * form, IPv6 in RFC 4291 text form without a zone. Bits beyond the prefix must be zero, so a typo
 * such as {@code 192.168.1.1/16} is refused rather than silently widened.
 *
 * <p>An IPv4 network never contains an IPv6 address and vice versa; how IPv6 addresses that embed
 * IPv4 addresses are judged is {@link AddressGuard}'s business.
 */
public final class Cidr {

  private final byte[] network;
  private final int prefixLength;

  private Cidr(byte[] network, int prefixLength) {
    this.network = network;
    this.prefixLength = prefixLength;
  }

  /**
   * Parses {@code <address>[/<prefix length>]}.
   *
   * @throws IllegalArgumentException when the text is not a numeric IPv4 or IPv6 network
   */
  public static Cidr parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("a CIDR is required, e.g. 10.0.0.0/8");
    }
    int slash = text.indexOf('/');
    String addressText = slash < 0 ? text : text.substring(0, slash);
    byte[] address =
        addressText.indexOf(':') >= 0
            ? IpLiterals.parseIpv6(addressText.toLowerCase(Locale.ROOT))
            : IpLiterals.parseDottedQuad(addressText);
    if (address == null) {
      throw new IllegalArgumentException(
          "not a CIDR: " + text + " (expected a numeric address such as 10.0.0.0/8 or fc00::/7)");
    }
    int bits = address.length * 8;
    int prefix = slash < 0 ? bits : parsePrefix(text, text.substring(slash + 1), bits);
    for (int bit = prefix; bit < bits; bit++) {
      if (bitAt(address, bit)) {
        throw new IllegalArgumentException(
            "not a CIDR: " + text + " has bits set beyond /" + prefix + "; did you mean "
                + IpLiterals.format(mask(address, prefix)) + "/" + prefix + "?");
      }
    }
    return new Cidr(address, prefix);
  }

  /** Whether the address lies in this network; false whenever the address families differ. */
  public boolean contains(InetAddress address) {
    return address != null && contains(address.getAddress());
  }

  /** Whether raw address bytes (4 or 16) lie in this network. */
  boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    int whole = prefixLength / 8;
    for (int i = 0; i < whole; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (address[whole] & mask) == (network[whole] & mask);
  }

  /** Whether this is an IPv4 network. */
  public boolean isIpv4() {
    return network.length == 4;
  }

  /** The number of leading bits that every address in the network shares. */
  public int prefixLength() {
    return prefixLength;
  }

  /** Canonical text, e.g. {@code 10.0.0.0/8} or {@code 2001:db8::/32}. */
  @Override
  public String toString() {
    return IpLiterals.format(network) + "/" + prefixLength;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cidr that
        && prefixLength == that.prefixLength
        && Arrays.equals(network, that.network);
  }

  @Override
  public int hashCode() {
    return Objects.hash(prefixLength, Arrays.hashCode(network));
  }

  private static int parsePrefix(String text, String prefixText, int bits) {
    boolean canonical =
        !prefixText.isEmpty()
            && prefixText.length() <= 3
            && prefixText.chars().allMatch(c -> c >= '0' && c <= '9')
            && (prefixText.length() == 1 || prefixText.charAt(0) != '0');
    int prefix = canonical ? Integer.parseInt(prefixText) : -1;
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException(
          "not a CIDR: " + text + " (the prefix length must be 0–" + bits + ")");
    }
    return prefix;
  }

  private static boolean bitAt(byte[] address, int bit) {
    return (address[bit / 8] & (0x80 >>> (bit % 8))) != 0;
  }

  private static byte[] mask(byte[] address, int prefix) {
    byte[] masked = address.clone();
    for (int bit = prefix; bit < masked.length * 8; bit++) {
      masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return masked;
  }
}
