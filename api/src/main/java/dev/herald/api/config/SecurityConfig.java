package dev.herald.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.herald.core.crypto.SecretKeyRing;
import dev.herald.core.net.AddressGuard;
import dev.herald.core.net.HostResolver;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Which endpoint addresses Herald may deliver to. */
public class SecurityConfig {

  /**
   * How long an API key and its tenant, once read, are trusted without reading them again ({@code
   * HERALD_API_KEY_CACHE_SECONDS}, 0–60, default 5): a key revoked or a tenant switched off stops
   * working within this time; 0 reads them on every request.
   */
  @Min(0)
  @Max(60)
  @JsonProperty
  public int apiKeyCacheSeconds = 5;

  /** Whether plain-http endpoint URLs are accepted ({@code HERALD_ALLOW_HTTP}). */
  @JsonProperty public boolean allowHttp = false;

  /**
   * Networks (CIDRs) exempt from the refusal of internal addresses, comma-separated ({@code
   * HERALD_ALLOWED_NETWORKS}); empty by default. Only the addresses inside them are allowed:
   * {@code 127.0.0.2/32} does not allow {@code 127.0.0.1}. A wrong entry stops the start.
   */
  @CidrList @JsonProperty public String allowedNetworks = "";

  /**
   * The key that encrypts endpoint secrets at rest: 32 random bytes in base64 ({@code
   * HERALD_SECRET_KEY}). Required: Herald does not start without it ({@code herald dev} makes
   * one in its data directory).
   */
  @JsonProperty public String secretKey = "";

  /**
   * Earlier secret keys, comma-separated ({@code HERALD_PREVIOUS_SECRET_KEYS}): they open what
   * they sealed until {@code herald secrets rotate-key} has sealed it again with {@code secretKey}.
   */
  @JsonProperty public String previousSecretKeys = "";

  /** The secret keys these settings describe; a clear error when the key is missing or bad. */
  public SecretKeyRing secretKeys() {
    return SecretKeyRing.parse(secretKey, previousSecretKeys);
  }

  /** The guard these settings describe, resolving names with the system resolver. */
  public AddressGuard addressGuard() {
    return new AddressGuard(
        CidrListValidator.parse(allowedNetworks), allowHttp, HostResolver.system());
  }
}
