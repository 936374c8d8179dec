package dev.herald.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.herald.core.net.AddressGuard;
import dev.herald.core.net.Cidr;
import dev.herald.core.net.HostResolver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Which endpoint addresses Herald may deliver to. */
public class SecurityConfig {

  /** Whether plain-http endpoint URLs are accepted ({@code HERALD_ALLOW_HTTP}). */
  @JsonProperty public boolean allowHttp = false;

  /**
   * Networks (CIDRs) exempt from the refusal of internal addresses, comma-separated ({@code
   * HERALD_ALLOWED_NETWORKS}); empty by default.
   */
  @JsonProperty public String allowedNetworks = "";

  /** The guard these settings describe, resolving names with the system resolver. */
  public AddressGuard addressGuard() {
    List<Cidr> allowed = new ArrayList<>();
    Arrays.stream(allowedNetworks.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(Cidr::parse)
        .forEach(allowed::add);
    return new AddressGuard(allowed, allowHttp, HostResolver.system());
  }
}
