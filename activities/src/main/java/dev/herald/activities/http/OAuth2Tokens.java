package dev.herald.activities.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.subscription.EndpointAuth.OAuth2ClientCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access tokens for endpoints behind OAuth 2.0 client credentials (RFC 6749 section 4.4): fetched
 * through the same guarded {@link WebhookSender} as the webhooks (the token URL passes the address
 * guard at connect, and the fetch counts against the attempt's deadline), kept until shortly
 * before {@code expires_in}, shared by every thread of the worker, fetched once however many
 * attempts ask at the same moment, and forgotten when the endpoint answers 401 to one.
 */
public final class OAuth2Tokens {

  /** How long a token without {@code expires_in} is kept. */
  static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

  /** A token, or why there is none, with how long asking took. */
  public record Fetched(String token, Integer statusCode, String error, String detail, long durationMs) {

    /** Whether a token came. */
    public boolean ok() {
      return token != null;
    }

    static Fetched cached(String token) {
      return new Fetched(token, null, null, null, 0);
    }
  }

  private record Kept(String token, Instant refreshAt) {}

  /** A token request's result, and how long its token lives. */
  private record Answer(Fetched fetched, Duration lifetime) {
    static Answer failed(Integer status, String error, String detail, long durationMs) {
      return new Answer(new Fetched(null, status, error, detail, durationMs), null);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final WebhookSender sender;
  private final Clock clock;
  private final ConcurrentHashMap<String, Kept> kept = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

  public OAuth2Tokens(WebhookSender sender, Clock clock) {
    this.sender = sender;
    this.clock = clock;
  }

  /** The subscription's current token: kept, or fetched within {@code budget}. */
  public Fetched token(String subscriptionId, OAuth2ClientCredentials credentials, Duration budget) {
    String key = key(subscriptionId, credentials);
    Kept current = kept.get(key);
    if (current != null && clock.instant().isBefore(current.refreshAt())) {
      return Fetched.cached(current.token());
    }
    synchronized (locks.computeIfAbsent(key, k -> new Object())) {
      current = kept.get(key);
      if (current != null && clock.instant().isBefore(current.refreshAt())) {
        return Fetched.cached(current.token());
      }
      Answer answer = fetch(credentials, budget);
      if (answer.fetched().ok()) {
        kept.put(key, new Kept(answer.fetched().token(), refreshAt(answer.lifetime())));
      }
      return answer.fetched();
    }
  }

  /** Forgets {@code token}, which the endpoint refused, unless a newer one has replaced it. */
  public void refused(String subscriptionId, OAuth2ClientCredentials credentials, String token) {
    kept.computeIfPresent(key(subscriptionId, credentials), (k, v) -> v.token().equals(token) ? null : v);
  }

  /** Refreshed a tenth of its lifetime early, at most a minute. */
  private Instant refreshAt(Duration lifetime) {
    Duration early = lifetime.dividedBy(10);
    if (early.compareTo(Duration.ofMinutes(1)) > 0) {
      early = Duration.ofMinutes(1);
    }
    return clock.instant().plus(lifetime).minus(early);
  }

  private Answer fetch(OAuth2ClientCredentials c, Duration budget) {
    List<String> form = new ArrayList<>(List.of("grant_type=client_credentials"));
    if (c.scope() != null) {
      form.add("scope=" + encode(c.scope()));
    }
    if (c.audience() != null) {
      form.add("audience=" + encode(c.audience()));
    }
    List<WebhookRequest.Header> headers = new ArrayList<>();
    headers.add(new WebhookRequest.Header("content-type", "application/x-www-form-urlencoded"));
    headers.add(new WebhookRequest.Header("accept", "application/json"));
    if (c.clientAuthentication().equals("post")) {
      form.add("client_id=" + encode(c.clientId()));
      form.add("client_secret=" + encode(c.clientSecret()));
    } else {
      // RFC 6749 2.3.1: the id and secret are form-encoded before they are joined.
      String pair = encode(c.clientId()) + ":" + encode(c.clientSecret());
      headers.add(new WebhookRequest.Header("authorization",
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))));
    }
    HttpExchange exchange =
        sender.send(
            new WebhookRequest("POST", URI.create(c.tokenUrl()),
                String.join("&", form).getBytes(StandardCharsets.UTF_8), headers, budget));
    if (exchange.failure() != null || exchange.statusCode() == null) {
      String code = OutcomeClassifier.classify(exchange, clock.instant()).errorCode();
      String error = OutcomeClassifier.BLOCKED_ADDRESS.equals(code) ? code : "auth";
      return Answer.failed(null, error, "the token request failed: " + code, exchange.durationMs());
    }
    int status = exchange.statusCode();
    if (status < 200 || status > 299) {
      return Answer.failed(status, "auth",
          "the token endpoint answered " + status + ": " + cut(exchange.responseBody()),
          exchange.durationMs());
    }
    try {
      JsonNode body = JSON.readTree(exchange.responseBody() == null ? "" : exchange.responseBody());
      JsonNode token = body == null ? null : body.get("access_token");
      JsonNode type = body == null ? null : body.get("token_type");
      if (token == null || !token.isTextual() || token.textValue().isEmpty()) {
        return Answer.failed(status, "auth", "the token endpoint's answer has no access_token",
            exchange.durationMs());
      }
      if (type != null && !type.asText().toLowerCase(Locale.ROOT).equals("bearer")) {
        return Answer.failed(status, "auth",
            "the token endpoint gave a token of type " + type.asText() + ", not Bearer",
            exchange.durationMs());
      }
      JsonNode expiresIn = body.get("expires_in");
      Duration lifetime =
          expiresIn != null && expiresIn.canConvertToLong() && expiresIn.asLong() > 0
              ? Duration.ofSeconds(expiresIn.asLong())
              : DEFAULT_LIFETIME;
      return new Answer(
          new Fetched(token.textValue(), status, null, null, exchange.durationMs()), lifetime);
    } catch (IOException e) {
      return Answer.failed(status, "auth",
          "the token endpoint's answer is not JSON (or longer than "
              + HttpExchange.MAX_BODY_BYTES + " bytes)", exchange.durationMs());
    }
  }

  private static String cut(String body) {
    if (body == null) {
      return "";
    }
    return body.length() <= 200 ? body : body.substring(0, 200) + "…";
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** The subscription and a digest of its credentials: new credentials never get an old token. */
  private static String key(String subscriptionId, OAuth2ClientCredentials c) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part :
          new String[] {c.tokenUrl(), c.clientId(), c.clientSecret(), c.scope(), c.audience(),
              c.clientAuthentication()}) {
        sha.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return subscriptionId + "/" + HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
