package dev.herald.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A host was refused by {@link AddressGuard#vet}: it is, or resolves to, an address that is not
 * public (error {@code blocked_address}).
 *
 * <p>It extends {@link UnknownHostException} so that it passes unchanged through resolver
 * interfaces that may only throw that (such as HttpClient's {@code DnsResolver}); whoever
 * classifies failures must test for this type before {@code UnknownHostException}.
 */
public final class BlockedAddressException extends UnknownHostException {

  private static final long serialVersionUID = 1L;

  private final String host;
  private final InetAddress address;
  private final String reason;

  /**
   * @param host the host as it was asked for
   * @param address the refused address
   * @param reason why, e.g. {@code in 10.0.0.0/8}
   */
  public BlockedAddressException(String host, InetAddress address, String reason) {
    super(describe(host, address, reason));
    this.host = host;
    this.address = address;
    this.reason = reason;
  }

  /** The host as it was asked for. */
  public String host() {
    return host;
  }

  /** The refused address (the first refused one when several were). */
  public InetAddress address() {
    return address;
  }

  /** Why the address is refused, e.g. {@code in 10.0.0.0/8}. */
  public String reason() {
    return reason;
  }

  static String describe(String host, InetAddress address, String reason) {
    String text = IpLiterals.format(address.getAddress());
    String refused = text + " is not a public address (" + reason + ")";
    return host.equals(text) || host.equals("[" + text + "]")
        ? refused
        : "the host " + host + " is refused: " + refused;
  }
}
