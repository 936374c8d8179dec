package dev.herald.core.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link HostResolver} for tests: answers from a script, never from DNS, and records every name
 * asked. A name may be given several answer sets, used one per lookup (the last one repeats).
 */
final class FakeResolver implements HostResolver {

  private final Map<String, Deque<InetAddress[]>> answers = new HashMap<>();
  private final List<String> asked = new ArrayList<>();

  /** A resolver that knows no names: any lookup fails the test. */
  static HostResolver forbidden() {
    return host -> {
      throw new AssertionError("no lookup expected, but " + host + " was resolved");
    };
  }

  /** Adds one lookup's answers for a name. */
  FakeResolver answer(String host, String... addresses) {
    InetAddress[] set = new InetAddress[addresses.length];
    for (int i = 0; i < addresses.length; i++) {
      set[i] = ip(addresses[i]);
    }
    return answer(host, set);
  }

  /** Adds one lookup's answers for a name. */
  FakeResolver answer(String host, InetAddress... addresses) {
    answers.computeIfAbsent(host, h -> new ArrayDeque<>()).add(addresses);
    return this;
  }

  /** The names looked up, in order. */
  List<String> asked() {
    return asked;
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    asked.add(host);
    Deque<InetAddress[]> script = answers.get(host);
    if (script == null) {
      throw new UnknownHostException(host);
    }
    return (script.size() > 1 ? script.poll() : script.peek()).clone();
  }

  /**
   * An address from its canonical numeric text, without DNS: the bytes are parsed by hand and an
   * IPv6 text always yields an {@link Inet6Address}, even for an IPv4-mapped address (which is what
   * a hostile resolver could hand over).
   */
  static InetAddress ip(String text) {
    try {
      if (text.indexOf(':') >= 0) {
        byte[] bytes = IpLiterals.parseIpv6(text);
        if (bytes == null) {
          throw new IllegalArgumentException("bad IPv6 literal in test: " + text);
        }
        return Inet6Address.getByAddress(null, bytes, -1);
      }
      byte[] bytes = IpLiterals.parseDottedQuad(text);
      if (bytes == null) {
        throw new IllegalArgumentException("bad IPv4 literal in test: " + text);
      }
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
