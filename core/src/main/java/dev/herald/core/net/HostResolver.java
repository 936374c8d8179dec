package dev.herald.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Looks a host name up: every A and AAAA answer. {@link AddressGuard} asks it exactly once per
 * check and never for a numeric spelling; tests substitute a fake so that no real DNS is used.
 */
@FunctionalInterface
public interface HostResolver {

  /**
   * All addresses the name resolves to.
   *
   * @throws UnknownHostException when the name does not resolve
   */
  InetAddress[] resolve(String host) throws UnknownHostException;

  /** The JVM's resolver, {@link InetAddress#getAllByName}. */
  static HostResolver system() {
    return InetAddress::getAllByName;
  }
}
