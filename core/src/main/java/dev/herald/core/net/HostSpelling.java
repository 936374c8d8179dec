package dev.herald.core.net;

import java.util.Locale;

/**
 * A host as written in a URL or handed to a resolver, sorted into a numeric address or a name to
 * look up. Every numeric spelling ({@code 2130706433}, {@code 127.1}, {@code 0x7f.1},
 * {@code 0177.0.0.1}, {@code [::1]}, {@code ::ffff:127.0.0.1}) becomes an address; a host whose
 * last label is a number but which is no valid IPv4 address is refused, never looked up.
 *
 * @param name the normalised name to resolve (lower case, no trailing dot); null for a literal
 * @param literal the raw address bytes of a numeric spelling; null for a name
 */
record HostSpelling(String name, byte[] literal) {

  private static final int MAX_NAME = 253;
  private static final int MAX_LABEL = 63;

  /**
   * Sorts a host.
   *
   * @throws IllegalArgumentException with a message fit for an API caller when the host is neither
   *     a valid numeric address nor a syntactically valid name
   */
  static HostSpelling parse(String raw) {
    if (raw == null || raw.isEmpty()) {
      throw new IllegalArgumentException("the URL has no host");
    }
    if (raw.startsWith("[")) {
      if (!raw.endsWith("]")) {
        throw new IllegalArgumentException("the host " + raw + " has an unclosed bracket");
      }
      return ipv6(raw.substring(1, raw.length() - 1), raw);
    }
    if (raw.indexOf(':') >= 0) {
      return ipv6(raw, raw);
    }
    String host = raw.toLowerCase(Locale.ROOT);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("the URL has no host");
    }
    if (host.length() > MAX_NAME) {
      throw new IllegalArgumentException("the host name is longer than " + MAX_NAME + " characters");
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      boolean allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
          || c == '_';
      if (!allowed) {
        throw new IllegalArgumentException("the host " + raw + " contains '" + c
            + "'; use ASCII letters, digits, '-' and '.' (punycode for international names)");
      }
    }
    for (String label : host.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > MAX_LABEL) {
        throw new IllegalArgumentException(
            "the host " + raw + " has an empty label or one longer than " + MAX_LABEL);
      }
    }
    if (IpLiterals.endsInNumber(host)) {
      byte[] address = IpLiterals.parseIpv4Lenient(host);
      if (address == null) {
        throw new IllegalArgumentException("the host " + raw + " is not a valid IPv4 address");
      }
      return new HostSpelling(null, address);
    }
    return new HostSpelling(host, null);
  }

  /** Whether the host is a numeric address rather than a name. */
  boolean isLiteral() {
    return literal != null;
  }

  private static HostSpelling ipv6(String text, String raw) {
    if (text.indexOf('%') >= 0) {
      throw new IllegalArgumentException("IPv6 zone identifiers are not allowed: " + raw);
    }
    byte[] address = IpLiterals.parseIpv6(text.toLowerCase(Locale.ROOT));
    if (address == null) {
      throw new IllegalArgumentException("the host " + raw + " is not a valid IPv6 address");
    }
    return new HostSpelling(null, address);
  }
}
