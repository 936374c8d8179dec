package dev.herald.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
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

  public List<String> allowedNetworkList() {
    List<String> out = new ArrayList<>();
    Arrays.stream(allowedNetworks.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
    return out;
  }
}
