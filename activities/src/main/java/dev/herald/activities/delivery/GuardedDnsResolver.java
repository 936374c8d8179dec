package dev.herald.activities.delivery;

import dev.herald.core.net.AddressGuard;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.hc.client5.http.DnsResolver;

/**
 * Name resolution through the address guard: HttpClient connects only to the addresses the guard
 * vetted in this very lookup, so a name re-pointed after the subscription was saved (DNS
 * rebinding) cannot reach an internal address. A refusal is a {@code BlockedAddressException},
 * which travels through HttpClient as the {@link UnknownHostException} it is.
 */
public final class GuardedDnsResolver implements DnsResolver {

  private final AddressGuard guard;

  public GuardedDnsResolver(AddressGuard guard) {
    this.guard = guard;
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    return guard.vet(host).toArray(new InetAddress[0]);
  }

  @Override
  public String resolveCanonicalHostname(String host) throws UnknownHostException {
    return resolve(host)[0].getCanonicalHostName();
  }
}
