package dev.herald.core.subscription;

import dev.herald.core.tls.ClientCertificate;
import dev.herald.core.tls.InvalidClientCertificateException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The credentials an endpoint demands on every request, besides Herald's signature: HTTP Basic
 * (RFC 7617), a bearer token (RFC 6750), a static API key in a header of the endpoint's choosing,
 * OAuth 2.0 client credentials (RFC 6749 4.4), or a client certificate for mutual TLS. Their secret
 * parts are sealed at rest like signing secrets, never logged and never shown: {@link #shown()} is
 * all a client sees again.
 */
public sealed interface EndpointAuth {

  /** No credentials. */
  EndpointAuth NONE = new None();

  /** Its {@code type} in the API. */
  String type();

  /** The {@code Authorization} header's value, or null for none. */
  String authorization();

  /** The header that carries {@link #authorization()}: {@code authorization} but for an API key. */
  default String headerName() {
    return "authorization";
  }

  /** What a client sees: the type and the parts that are not secret. */
  Map<String, String> shown();

  /** The secret parts, by field name: sealed at rest. */
  Map<String, String> secretParts();

  /** The parts that are not secret, by field name: kept as they are. */
  default Map<String, String> plainParts() {
    Map<String, String> plain = new LinkedHashMap<>(shown());
    plain.remove("type");
    return plain;
  }

  /** No credentials: no {@code Authorization} header. */
  record None() implements EndpointAuth {
    @Override
    public String type() {
      return "none";
    }

    @Override
    public String authorization() {
      return null;
    }

    @Override
    public Map<String, String> shown() {
      return Map.of("type", "none");
    }

    @Override
    public Map<String, String> secretParts() {
      return Map.of();
    }
  }

  /** HTTP Basic: {@code Authorization: Basic base64(username:password)}, UTF-8. */
  record Basic(String username, String password) implements EndpointAuth {
    public Basic {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
      if (username.indexOf(':') >= 0) {
        throw new IllegalArgumentException("a Basic username cannot contain ':'");
      }
    }

    @Override
    public String type() {
      return "basic";
    }

    @Override
    public String authorization() {
      return "Basic "
          + Base64.getEncoder()
              .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Map<String, String> shown() {
      Map<String, String> shown = new LinkedHashMap<>();
      shown.put("type", "basic");
      shown.put("username", username);
      return shown;
    }

    @Override
    public Map<String, String> secretParts() {
      return Map.of("password", password);
    }

    @Override
    public String toString() {
      return "Basic[" + username + ", password hidden]";
    }
  }

  /** A bearer token: {@code Authorization: Bearer <token>}. */
  record Bearer(String token) implements EndpointAuth {
    public Bearer {
      Objects.requireNonNull(token, "token");
    }

    @Override
    public String type() {
      return "bearer";
    }

    @Override
    public String authorization() {
      return "Bearer " + token;
    }

    @Override
    public Map<String, String> shown() {
      return Map.of("type", "bearer");
    }

    @Override
    public Map<String, String> secretParts() {
      return Map.of("token", token);
    }

    @Override
    public String toString() {
      return "Bearer[token hidden]";
    }
  }

  /**
   * A static API key in a header of the endpoint's choosing ({@code X-Api-Key: <value>}): a
   * custom header whose value is a secret, sealed and never shown.
   */
  record ApiKey(String header, String value) implements EndpointAuth {

    /** Its {@code type} in the API. */
    public static final String TYPE = "api-key";

    public ApiKey {
      Objects.requireNonNull(header, "header");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String authorization() {
      return value;
    }

    @Override
    public String headerName() {
      return header;
    }

    @Override
    public Map<String, String> shown() {
      Map<String, String> shown = new LinkedHashMap<>();
      shown.put("type", TYPE);
      shown.put("header", header);
      return shown;
    }

    @Override
    public Map<String, String> secretParts() {
      return Map.of("value", value);
    }

    @Override
    public String toString() {
      return "ApiKey[" + header + ", value hidden]";
    }
  }

  /**
   * OAuth 2.0 client credentials (RFC 6749 section 4.4): Herald fetches an access token from
   * {@code tokenUrl}, authenticating as the client with HTTP Basic ({@code clientAuthentication}
   * {@code basic}, the default) or in the form ({@code post}), keeps it until shortly before it
   * expires, and sends it as {@code Authorization: Bearer}.
   *
   * @param scope the {@code scope} to ask for, or null
   * @param audience the {@code audience} to ask for (Auth0, Okta), or null
   */
  record OAuth2ClientCredentials(
      String tokenUrl,
      String clientId,
      String clientSecret,
      String scope,
      String audience,
      String clientAuthentication)
      implements EndpointAuth {

    /** Its {@code type} in the API. */
    public static final String TYPE = "oauth2-client-credentials";

    public OAuth2ClientCredentials {
      Objects.requireNonNull(tokenUrl, "tokenUrl");
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(clientSecret, "clientSecret");
      if (clientAuthentication == null) {
        clientAuthentication = "basic";
      }
      if (!clientAuthentication.equals("basic") && !clientAuthentication.equals("post")) {
        throw new IllegalArgumentException("clientAuthentication must be basic or post");
      }
    }

    @Override
    public String type() {
      return TYPE;
    }

    /** Null: the header carries a token fetched at send time. */
    @Override
    public String authorization() {
      return null;
    }

    @Override
    public Map<String, String> shown() {
      Map<String, String> shown = new LinkedHashMap<>();
      shown.put("type", TYPE);
      shown.put("tokenUrl", tokenUrl);
      shown.put("clientId", clientId);
      if (scope != null) {
        shown.put("scope", scope);
      }
      if (audience != null) {
        shown.put("audience", audience);
      }
      shown.put("clientAuthentication", clientAuthentication);
      return shown;
    }

    @Override
    public Map<String, String> secretParts() {
      return Map.of("clientSecret", clientSecret);
    }

    @Override
    public String toString() {
      return "OAuth2ClientCredentials[" + tokenUrl + ", " + clientId + ", secret hidden]";
    }
  }

  /**
   * A client certificate presented on the TLS handshake (mutual TLS), with its private key and,
   * optionally, the CA certificates that replace the default trust for the endpoint. The key is
   * the secret part; the certificates are kept as they are, and a client sees the leaf's subject,
   * issuer, expiry and SHA-256 fingerprint. No header carries anything.
   *
   * @param certificate the PEM chain, leaf first
   * @param privateKey the leaf's PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC), unencrypted
   * @param caCertificates the PEM CA bundle to trust the endpoint by, or null for the default trust
   */
  record MutualTls(String certificate, String privateKey, String caCertificates) implements EndpointAuth {

    /** Its {@code type} in the API. */
    public static final String TYPE = "mtls";

    public MutualTls {
      Objects.requireNonNull(certificate, "certificate");
      Objects.requireNonNull(privateKey, "privateKey");
    }

    @Override
    public String type() {
      return TYPE;
    }

    /** Null: the credential is on the TLS handshake, not in a header. */
    @Override
    public String authorization() {
      return null;
    }

    /**
     * The certificate and key, read and matched (not checked against the clock).
     *
     * @throws IllegalStateException when they cannot be read: what was stored was checked on save
     */
    public ClientCertificate read() {
      try {
        return ClientCertificate.parse(certificate, privateKey, caCertificates);
      } catch (InvalidClientCertificateException e) {
        throw new IllegalStateException("unusable mtls credential: " + e.field() + " " + e.getMessage());
      }
    }

    /**
     * Names this credential without revealing it: a SHA-256 of the certificates, which the key
     * belongs to. The same for every subscription with the same certificate and trust.
     */
    public String id() {
      return ClientCertificate.sha256(certificate + "\0" + (caCertificates == null ? "" : caCertificates));
    }

    @Override
    public Map<String, String> shown() {
      ClientCertificate read = read();
      Map<String, String> shown = new LinkedHashMap<>();
      shown.put("type", TYPE);
      shown.put("subject", read.subject());
      shown.put("issuer", read.issuer());
      shown.put("expiresAt", read.expiresAt().toString());
      shown.put("fingerprintSha256", read.fingerprint());
      return shown;
    }

    @Override
    public Map<String, String> secretParts() {
      return Map.of("privateKey", privateKey);
    }

    /** The certificates as they were given: what {@link #shown()} shows is derived from them. */
    @Override
    public Map<String, String> plainParts() {
      Map<String, String> plain = new LinkedHashMap<>();
      plain.put("certificate", certificate);
      if (caCertificates != null) {
        plain.put("caCertificates", caCertificates);
      }
      return plain;
    }

    @Override
    public String toString() {
      return "MutualTls[" + id().substring(0, 16) + ", key hidden]";
    }
  }

  /**
   * The credentials of {@code type} from their parts (secret ones already opened).
   *
   * @throws IllegalArgumentException for an unknown type or a missing part
   */
  static EndpointAuth of(String type, Map<String, String> parts) {
    return switch (type) {
      case "none" -> NONE;
      case "basic" -> new Basic(required(parts, "username"), required(parts, "password"));
      case "bearer" -> new Bearer(required(parts, "token"));
      case ApiKey.TYPE -> new ApiKey(required(parts, "header"), required(parts, "value"));
      case OAuth2ClientCredentials.TYPE ->
          new OAuth2ClientCredentials(required(parts, "tokenUrl"), required(parts, "clientId"),
              required(parts, "clientSecret"), parts.get("scope"), parts.get("audience"),
              parts.get("clientAuthentication"));
      case MutualTls.TYPE ->
          new MutualTls(required(parts, "certificate"), required(parts, "privateKey"),
              parts.get("caCertificates"));
      default -> throw new IllegalArgumentException(
          "auth type must be basic, bearer, api-key, " + OAuth2ClientCredentials.TYPE + " or "
              + MutualTls.TYPE + ": " + type);
    };
  }

  private static String required(Map<String, String> parts, String name) {
    String value = parts.get(name);
    if (value == null) {
      throw new IllegalArgumentException("auth needs " + name);
    }
    return value;
  }
}
