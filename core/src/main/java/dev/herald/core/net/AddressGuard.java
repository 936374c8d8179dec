package dev.herald.core.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Keeps Herald from being used to reach internal addresses (README, "Security"): the one judge of endpoint
 * addresses, asked when a subscription URL is saved ({@link #checkUrl}) and again on every attempt
 * ({@link #vet}), whose answer is the only set of addresses the HTTP client may connect to.
 *
 * <p>Refused, unless inside a configured allowed network: the special-purpose IPv4 and IPv6 ranges
 * of {@link #refusedNetworks()}, and any IPv6 address that embeds a refused IPv4 address
 * (IPv4-mapped {@code ::ffff:a.b.c.d}, NAT64 {@code 64:ff9b::a.b.c.d}, 6to4 {@code 2002:AABB:CCDD::}),
 * even when an allowed network contains the IPv6 address. An IPv4-mapped address is allowed when
 * its IPv4 address lies in an allowed IPv4 network. A name is refused when any of its answers is.
 *
 * <p>Numeric hosts are parsed here, in every spelling {@code inet_aton} accepts, and never looked
 * up. Instances are immutable and thread-safe.
 */
public final class AddressGuard {

  private static final List<Cidr> REFUSED = Stream.of(
          "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
          "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
          "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
          "255.255.255.255/32",
          "::/8", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32",
          "2002::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8")
      .map(Cidr::parse)
      .toList();

  private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
  private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

  private final List<Cidr> allowedNetworks;
  private final boolean allowHttp;
  private final HostResolver resolver;

  /**
   * @param allowedNetworks networks exempt from the refusal (only the addresses they contain)
   * @param allowHttp whether {@code http} URLs are accepted besides {@code https}
   * @param resolver how names are looked up, e.g. {@link HostResolver#system()}
   */
  public AddressGuard(List<Cidr> allowedNetworks, boolean allowHttp, HostResolver resolver) {
    this.allowedNetworks = List.copyOf(allowedNetworks);
    this.allowHttp = allowHttp;
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  /** {@code herald server}'s default: no network allowed, https only. */
  public static AddressGuard strict(HostResolver resolver) {
    return new AddressGuard(List.of(), false, resolver);
  }

  /** {@code herald dev}'s default: loopback ({@code 127.0.0.0/8}, {@code ::1}) and http allowed. */
  public static AddressGuard forDevelopment(HostResolver resolver) {
    return new AddressGuard(List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128")), true,
        resolver);
  }

  /** The ranges refused unless allowed, in the order they are reported. */
  public static List<Cidr> refusedNetworks() {
    return REFUSED;
  }

  /** The networks exempt from the refusal. */
  public List<Cidr> allowedNetworks() {
    return allowedNetworks;
  }

  /** Whether {@code http} URLs are accepted besides {@code https}. */
  public boolean allowHttp() {
    return allowHttp;
  }

  /**
   * Judges a subscription URL when it is saved: its form, its scheme, and every address its host
   * is or resolves to now. A name that does not resolve is an {@code invalid_url}.
   */
  public UrlVerdict checkUrl(String url) {
    EndpointUrl parsed;
    HostSpelling host;
    try {
      parsed = EndpointUrl.parse(url);
      host = HostSpelling.parse(parsed.host());
    } catch (IllegalArgumentException e) {
      return UrlVerdict.invalidUrl(e.getMessage());
    }
    if (parsed.scheme().equals("http") && !allowHttp) {
      return UrlVerdict.invalidUrl("https is required");
    }
    try {
      vet(parsed.host(), host);
      return UrlVerdict.ok();
    } catch (BlockedAddressException e) {
      return UrlVerdict.blockedAddress(e.getMessage());
    } catch (UnknownHostException e) {
      return UrlVerdict.invalidUrl("the host " + parsed.host() + " does not resolve");
    }
  }

  /**
   * Vets a host when an attempt connects: parses a numeric spelling or resolves a name exactly
   * once, and refuses if any answer is refused. The HTTP client must connect only to the returned
   * addresses, so a name re-pointed after this check (DNS rebinding) cannot slip through.
   *
   * @param host a host as found in a URL ({@code example.com}, {@code 127.1}, {@code [::1]}) or
   *     an unbracketed IPv6 address
   * @return every address of the host, in the resolver's order; never empty
   * @throws BlockedAddressException when any address is refused
   * @throws UnknownHostException when the host is malformed or does not resolve
   */
  public List<InetAddress> vet(String host) throws UnknownHostException, BlockedAddressException {
    HostSpelling spelling;
    try {
      spelling = HostSpelling.parse(host);
    } catch (IllegalArgumentException e) {
      throw new UnknownHostException(e.getMessage());
    }
    return vet(host, spelling);
  }

  /**
   * Why an address is refused ({@code in 10.0.0.0/8}), or empty when it may be connected to.
   * Useful to check the address a connection actually reached.
   */
  public Optional<String> refusal(InetAddress address) {
    return Optional.ofNullable(refusal(address.getAddress()));
  }

  private List<InetAddress> vet(String asked, HostSpelling host)
      throws UnknownHostException, BlockedAddressException {
    if (host.isLiteral()) {
      byte[] bytes = host.literal();
      String text = IpLiterals.format(bytes);
      String reason = refusal(bytes);
      if (reason != null) {
        InetAddress exact = bytes.length == 16
            ? Inet6Address.getByAddress(text, bytes, -1)
            : InetAddress.getByAddress(text, bytes);
        throw new BlockedAddressException(asked, exact, reason);
      }
      // the JDK turns an allowed IPv4-mapped address into its IPv4 address, which it connects to
      return List.of(InetAddress.getByAddress(text, bytes));
    }
    InetAddress[] answers = resolver.resolve(host.name());
    if (answers == null || answers.length == 0 || Arrays.asList(answers).contains(null)) {
      throw new UnknownHostException(host.name() + " has no addresses");
    }
    for (InetAddress answer : answers) {
      String reason = refusal(answer.getAddress());
      if (reason != null) {
        throw new BlockedAddressException(asked, answer, reason);
      }
    }
    return List.of(answers);
  }

  private String refusal(byte[] address) {
    if (address.length == 4) {
      return refusalOfIpv4(address);
    }
    byte[] embedded = embeddedIpv4(address);
    if (embedded != null) {
      String reason = refusalOfIpv4(embedded);
      if (reason != null) {
        return "embeds " + IpLiterals.format(embedded) + ", " + reason;
      }
      if (IpLiterals.isIpv4Mapped(address) && isAllowed(embedded)) {
        return null;
      }
    }
    if (isAllowed(address)) {
      return null;
    }
    return refusedBy(address);
  }

  private String refusalOfIpv4(byte[] address) {
    return isAllowed(address) ? null : refusedBy(address);
  }

  private boolean isAllowed(byte[] address) {
    for (Cidr network : allowedNetworks) {
      if (network.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** The most specific refused range holding the address ({@code 64:ff9b::/96} over {@code ::/8}). */
  private static String refusedBy(byte[] address) {
    Cidr narrowest = null;
    for (Cidr network : REFUSED) {
      if (network.contains(address)
          && (narrowest == null || network.prefixLength() > narrowest.prefixLength())) {
        narrowest = network;
      }
    }
    return narrowest == null ? null : "in " + narrowest;
  }

  /** The IPv4 address inside an IPv4-mapped, NAT64 (64:ff9b::/96) or 6to4 address, else null. */
  private static byte[] embeddedIpv4(byte[] address) {
    if (IpLiterals.isIpv4Mapped(address) || NAT64.contains(address)) {
      return Arrays.copyOfRange(address, 12, 16);
    }
    if (SIX_TO_FOUR.contains(address)) {
      return Arrays.copyOfRange(address, 2, 6);
    }
    return null;
  }
}
