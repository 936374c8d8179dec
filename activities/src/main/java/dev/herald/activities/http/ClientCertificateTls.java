package dev.herald.activities.http;

import dev.herald.core.subscription.EndpointAuth;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * The TLS of {@link WebhookSender}'s one connection pool: a request that carries a client
 * certificate (mutual TLS) has its connections made with a TLS context of that certificate and
 * its trust, built once and kept in a small cache by the credential's id; every other request gets
 * the default TLS.
 *
 * <p>Pooled connections are kept apart by the request's user token ({@link #prepare}): a
 * connection made with a client certificate is leased again only to requests with the same
 * credential, and a connection made without one only to requests without one. Every request has a
 * token, since the pool hands a connection released without one to any request at all.
 */
final class ClientCertificateTls implements TlsSocketStrategy {

  /** The context attribute that carries the request's client certificate. */
  static final String ATTRIBUTE = "herald.client-certificate";

  /** The user token of connections made without a client certificate. */
  static final String WITHOUT_CERTIFICATE = "tls:default";

  /** Credentials whose TLS context is kept; the least recently used goes first. */
  static final int CACHED = 256;

  private final TlsSocketStrategy fallback;
  private final Map<String, TlsSocketStrategy> cache =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TlsSocketStrategy> eldest) {
          return size() > CACHED;
        }
      };

  /** @param fallback the TLS of requests without a client certificate */
  ClientCertificateTls(TlsSocketStrategy fallback) {
    this.fallback = fallback;
  }

  /** Sets the request's client certificate, if any, and its user token on {@code context}. */
  static void prepare(HttpClientContext context, EndpointAuth.MutualTls certificate) {
    if (certificate == null) {
      context.setUserToken(WITHOUT_CERTIFICATE);
      return;
    }
    context.setAttribute(ATTRIBUTE, certificate);
    context.setUserToken("tls:client:" + certificate.id());
  }

  @Override
  public SSLSocket upgrade(Socket socket, String target, int port, Object attachment, HttpContext context)
      throws IOException {
    Object certificate = context == null ? null : context.getAttribute(ATTRIBUTE);
    if (certificate instanceof EndpointAuth.MutualTls mtls) {
      return strategyFor(mtls).upgrade(socket, target, port, attachment, context);
    }
    return fallback.upgrade(socket, target, port, attachment, context);
  }

  /** Entries in the cache, for tests. */
  synchronized int cached() {
    return cache.size();
  }

  private synchronized TlsSocketStrategy strategyFor(EndpointAuth.MutualTls certificate)
      throws SSLException {
    String id = certificate.id();
    TlsSocketStrategy strategy = cache.get(id);
    if (strategy == null) {
      try {
        strategy = new DefaultClientTlsStrategy(certificate.read().sslContext());
      } catch (GeneralSecurityException | IllegalStateException e) {
        // Checked when saved, so unexpected; the attempt fails as a TLS failure, naming no secret.
        throw new SSLException("the client certificate cannot be used: " + e.getClass().getSimpleName());
      }
      cache.put(id, strategy);
    }
    return strategy;
  }
}
