package dev.herald.activities.http;

import dev.herald.core.subscription.EndpointAuth;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One request to a webhook endpoint, as {@link WebhookSender#send} sends it.
 *
 * @param method {@code POST} or {@code PUT}
 * @param url the endpoint; {@code http} or {@code https} with a host
 * @param body the exact bytes to send (copied in and out: the same bytes on every attempt)
 * @param headers sent in this order; a name may repeat. Headers the transport computes itself
 *     (see {@link WebhookSender}) are not sent
 * @param timeout the budget of the whole exchange, from connecting to the last byte read; positive
 * @param clientCertificate the client certificate to present on the TLS handshake (mutual TLS),
 *     with the trust for the endpoint's certificate that goes with it; null for none and the
 *     default trust. Only for https
 */
public record WebhookRequest(
    String method,
    URI url,
    byte[] body,
    List<Header> headers,
    Duration timeout,
    EndpointAuth.MutualTls clientCertificate) {

  public WebhookRequest {
    if (!"POST".equals(method) && !"PUT".equals(method)) {
      throw new IllegalArgumentException("method must be POST or PUT: " + method);
    }
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(timeout, "timeout");
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
      throw new IllegalArgumentException("not an http(s) URL with a host: " + url);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    if (clientCertificate != null && !scheme.equals("https")) {
      throw new IllegalArgumentException("a client certificate needs an https URL: " + url);
    }
    body = body.clone();
    headers = List.copyOf(headers);
  }

  /** Without a client certificate. */
  public WebhookRequest(String method, URI url, byte[] body, List<Header> headers, Duration timeout) {
    this(method, url, body, headers, timeout, null);
  }

  /** A POST. */
  public WebhookRequest(URI url, byte[] body, List<Header> headers, Duration timeout) {
    this("POST", url, body, headers, timeout, null);
  }

  /** The same request, presenting {@code certificate} on the TLS handshake. */
  public WebhookRequest withClientCertificate(EndpointAuth.MutualTls certificate) {
    return new WebhookRequest(method, url, body, headers, timeout, certificate);
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WebhookRequest r
        && method.equals(r.method)
        && url.equals(r.url)
        && Arrays.equals(body, r.body)
        && headers.equals(r.headers)
        && timeout.equals(r.timeout)
        && Objects.equals(clientCertificate, r.clientCertificate);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, url, Arrays.hashCode(body), headers, timeout, clientCertificate);
  }

  @Override
  public String toString() {
    // Header names only: a subscription's own headers may carry credentials, and logs keep things.
    return "WebhookRequest[method=" + method + ", url=" + url + ", body=" + body.length + " bytes, headers="
        + headers.stream().map(Header::name).toList() + ", timeout=" + timeout
        + (clientCertificate == null ? "" : ", clientCertificate=" + clientCertificate) + "]";
  }

  /**
   * One request header.
   *
   * @param name an HTTP token
   * @param value no CR, LF or NUL: a subscription's own header must not smuggle in others
   */
  public record Header(String name, String value) {

    public Header {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.isEmpty() || !name.chars().allMatch(Header::isTokenChar)) {
        throw new IllegalArgumentException("not a valid header name: " + name);
      }
      if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
        throw new IllegalArgumentException("header " + name + " has a CR, LF or NUL in its value");
      }
    }

    private static boolean isTokenChar(int c) {
      return c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }
  }
}
