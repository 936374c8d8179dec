package dev.herald.core.net;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The parts of an endpoint URL that the guard judges. {@link URI} checks the overall syntax, but
 * the authority is split here by hand, because {@code URI} gives up on hosts such as {@code 127.1}
 * or {@code 0x7f.1} (it reports no host at all) and those must be judged, not skipped.
 *
 * @param scheme {@code http} or {@code https}, lower case
 * @param host the host as written in the URL (IPv6 still in brackets)
 * @param port the explicit port, or -1
 */
record EndpointUrl(String scheme, String host, int port) {

  /** The longest URL accepted. */
  static final int MAX_LENGTH = 2048;

  /**
   * Splits a URL.
   *
   * @throws IllegalArgumentException with a message fit for an API caller
   */
  static EndpointUrl parse(String url) {
    if (url == null || url.isEmpty()) {
      throw new IllegalArgumentException("a URL is required");
    }
    if (url.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("the URL is longer than " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
        throw new IllegalArgumentException("the URL contains whitespace or control characters");
      }
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a valid URL: " + e.getReason());
    }
    if (!uri.isAbsolute()) {
      throw new IllegalArgumentException("the URL must be absolute (https://…)");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("the URL scheme must be https (or http where allowed)");
    }
    String authority = uri.getRawAuthority();
    if (uri.isOpaque() || authority == null || authority.isEmpty()) {
      throw new IllegalArgumentException("the URL has no host");
    }
    if (authority.indexOf('@') >= 0) {
      throw new IllegalArgumentException("the URL must not contain a user name or password");
    }
    String host;
    String portText = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("the URL's IPv6 host has no closing bracket");
      }
      host = authority.substring(0, close + 1);
      String rest = authority.substring(close + 1);
      if (!rest.isEmpty()) {
        if (rest.charAt(0) != ':') {
          throw new IllegalArgumentException("unexpected text after the URL's IPv6 host");
        }
        portText = rest.substring(1);
      }
    } else {
      int colon = authority.indexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      portText = colon < 0 ? null : authority.substring(colon + 1);
    }
    return new EndpointUrl(scheme, host, portText == null ? -1 : parsePort(portText));
  }

  private static int parsePort(String text) {
    boolean digits = !text.isEmpty() && text.length() <= 5
        && text.chars().allMatch(c -> c >= '0' && c <= '9');
    int port = digits ? Integer.parseInt(text) : 0;
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("the URL's port must be a number from 1 to 65535");
    }
    return port;
  }
}
