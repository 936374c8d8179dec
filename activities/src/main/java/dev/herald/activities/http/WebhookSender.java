package dev.herald.activities.http;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.io.ModalCloseable;
import org.apache.hc.core5.pool.PoolStats;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends webhook POSTs over one pooled Apache HttpClient 5 classic client. Thread-safe; build one
 * per process and share it between all activity threads.
 *
 * <p>Each exchange runs under a hard deadline: socket timeouts bound every single wait, and a
 * scheduled abort closes the connection when the whole budget is spent, so a peer that drips bytes
 * slowly cannot hold an attempt past {@link WebhookRequest#timeout()}. Redirects are never
 * followed, nothing is retried, no cookies are kept, and at most {@value
 * HttpExchange#MAX_BODY_BYTES} bytes of a response body are read. {@link #send} never throws for
 * network trouble: it is reported in the returned {@link HttpExchange}.
 *
 * <p>A request with a client certificate ({@link WebhookRequest#clientCertificate()}) presents it
 * on the TLS handshake; its pooled connections serve only requests with the same credential (see
 * {@link ClientCertificateTls}).
 */
public final class WebhookSender implements AutoCloseable {

  /**
   * How the sender is built.
   *
   * @param maxConnections the pool size, in total and per endpoint
   * @param userAgent sent as {@code User-Agent} on every request, e.g. {@code Herald/0.1.0}
   * @param dnsResolver resolves endpoint host names; the place for an address guard. Null means the
   *     system resolver.
   */
  public record Settings(int maxConnections, String userAgent, DnsResolver dnsResolver) {
    public Settings {
      if (maxConnections < 1) {
        throw new IllegalArgumentException("maxConnections must be at least 1");
      }
      if (userAgent == null || userAgent.isBlank()) {
        throw new IllegalArgumentException("userAgent is required");
      }
      if (dnsResolver == null) {
        dnsResolver = SystemDefaultDnsResolver.INSTANCE;
      }
    }

    /** Settings with the system resolver. */
    public Settings(int maxConnections, String userAgent) {
      this(maxConnections, userAgent, null);
    }
  }

  // The transport computes these; a caller's copy would be wrong or a protocol error.
  private static final Set<String> TRANSPORT_HEADERS =
      Set.of("host", "content-length", "transfer-encoding", "connection", "user-agent");

  // An endpoint that answers with an endless header block must not fill the heap before the
  // deadline: HttpClient's own defaults leave the count and the line length unbounded.
  static final int MAX_RESPONSE_HEADERS = 100;
  static final int MAX_HEADER_LINE_BYTES = 8192;

  private final PoolingHttpClientConnectionManager connections;
  private final CloseableHttpClient client;
  private final ScheduledThreadPoolExecutor deadlines;
  private final DeadlineBoundLookup lookups;
  private final ClientCertificateTls tls;

  public WebhookSender(Settings settings) {
    this(settings, DefaultClientTlsStrategy.createDefault());
  }

  /**
   * A sender whose requests without a client certificate use {@code defaultTls}: for tests whose
   * endpoints have certificates of their own authority.
   */
  WebhookSender(Settings settings, SSLContext defaultTls) {
    this(settings, new DefaultClientTlsStrategy(defaultTls));
  }

  private WebhookSender(Settings settings, TlsSocketStrategy defaultTls) {
    Objects.requireNonNull(settings, "settings");
    this.tls = new ClientCertificateTls(defaultTls);
    this.lookups = new DeadlineBoundLookup(settings.dnsResolver(), settings.maxConnections());
    this.connections =
        PoolingHttpClientConnectionManagerBuilder.create()
            .setMaxConnTotal(settings.maxConnections())
            .setMaxConnPerRoute(settings.maxConnections())
            .setDnsResolver(lookups)
            .setTlsSocketStrategy(tls)
            .setConnectionFactory(
                ManagedHttpClientConnectionFactory.builder()
                    .http1Config(
                        Http1Config.custom()
                            .setMaxHeaderCount(MAX_RESPONSE_HEADERS)
                            .setMaxLineLength(MAX_HEADER_LINE_BYTES)
                            .build())
                    .build())
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    // With retries off, a stale pooled connection would cost a failed attempt.
                    .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                    .build())
            .build();
    this.client =
        HttpClients.custom()
            .setConnectionManager(connections)
            .setUserAgent(settings.userAgent())
            .disableRedirectHandling()
            .disableAutomaticRetries()
            .disableCookieManagement()
            .disableContentCompression()
            .disableAuthCaching()
            .evictIdleConnections(TimeValue.ofSeconds(30))
            .evictExpiredConnections()
            .build();
    this.deadlines =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "herald-webhook-deadlines");
              thread.setDaemon(true);
              return thread;
            });
    // Most exchanges finish early; without this their cancelled aborts would pile up.
    deadlines.setRemoveOnCancelPolicy(true);
  }

  /** Sends the request (POST or PUT) and reports what happened; blocks for at most about its timeout. */
  public HttpExchange send(WebhookRequest request) {
    long started = System.nanoTime();
    HttpUriRequestBase post = new HttpUriRequestBase(request.method(), request.url());
    post.setConfig(requestConfig(Timeout.of(request.timeout())));
    for (WebhookRequest.Header header : request.headers()) {
      if (!TRANSPORT_HEADERS.contains(header.name().toLowerCase(Locale.ROOT))) {
        post.addHeader(header.name(), header.value());
      }
    }
    post.setEntity(new ByteArrayEntity(request.body(), null));

    AtomicBoolean deadlinePassed = new AtomicBoolean();
    DeadlineBoundLookup.Deadline deadline =
        new DeadlineBoundLookup.Deadline(started + request.timeout().toNanos(), deadlinePassed);
    // cancel() closes the socket at once (CloseMode.IMMEDIATE) and discards the connection
    // from the pool, which unblocks a read stuck mid-connect, mid-TLS, mid-headers or mid-body.
    ScheduledFuture<?> abort =
        deadlines.schedule(
            () -> {
              deadlinePassed.set(true);
              post.cancel();
            },
            request.timeout().toNanos(),
            TimeUnit.NANOSECONDS);
    try {
      return lookups.within(deadline, () -> exchange(post, request, deadlinePassed, started));
    } catch (IOException | RuntimeException e) {
      // A CancellationException from a pool lease aborted at the deadline is a timeout too.
      if (e instanceof RuntimeException && !deadlinePassed.get()) {
        throw (RuntimeException) e;
      }
      return HttpExchange.failed(asFailure(e, request, deadlinePassed), elapsedMs(started));
    } finally {
      abort.cancel(false);
    }
  }

  private HttpExchange exchange(
      HttpUriRequestBase post, WebhookRequest request, AtomicBoolean deadlinePassed, long started)
      throws IOException {
    HttpClientContext context = HttpClientContext.create();
    ClientCertificateTls.prepare(context, request.clientCertificate());
    ClassicHttpResponse response = client.executeOpen(null, post, context);
    int status = response.getCode();
    Header retryAfter = response.getFirstHeader(HttpHeaders.RETRY_AFTER);
    String retryAfterValue = retryAfter == null ? null : retryAfter.getValue();
    boolean released = false;
    try {
      BoundedBody body = BoundedBody.read(response.getEntity());
      if (body.complete()) {
        // At end of stream: a graceful close returns a keep-alive connection to the pool.
        response.close();
        released = true;
      }
      return HttpExchange.response(status, retryAfterValue, body.text(), elapsedMs(started));
    } catch (IOException e) {
      return new HttpExchange(
          status, retryAfterValue, null, elapsedMs(started), asFailure(e, request, deadlinePassed));
    } finally {
      if (!released) {
        // Never drain what we will not read: drop the connection instead.
        post.cancel();
        closeImmediately(response);
      }
    }
  }

  private static Throwable asFailure(
      Exception e, WebhookRequest request, AtomicBoolean deadlinePassed) {
    if (!deadlinePassed.get()) {
      return e;
    }
    SocketTimeoutException timeout =
        new SocketTimeoutException(
            "no complete response within " + request.timeout().toMillis() + " ms");
    timeout.initCause(e);
    return timeout;
  }

  // RequestConfig's connect timeout is deprecated in favour of the pool-wide ConnectionConfig,
  // but it is still honoured, and only it can follow each subscription's own budget.
  @SuppressWarnings("deprecation")
  private static RequestConfig requestConfig(Timeout budget) {
    return RequestConfig.custom()
        .setConnectionRequestTimeout(budget)
        .setConnectTimeout(budget)
        .setResponseTimeout(budget)
        .setRedirectsEnabled(false)
        .setProtocolUpgradeEnabled(false)
        .build();
  }

  private static void closeImmediately(ClassicHttpResponse response) {
    try {
      if (response instanceof ModalCloseable modal) {
        modal.close(CloseMode.IMMEDIATE);
      } else {
        response.close();
      }
    } catch (IOException ignored) {
      // The connection is already discarded; nothing left to release.
    }
  }

  private static long elapsedMs(long startedNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
  }

  /** TLS contexts of client certificates kept, for tests. */
  int cachedClientCertificates() {
    return tls.cached();
  }

  /** Pool occupancy, for tests that check no connection leaks. */
  PoolStats poolStats() {
    return connections.getTotalStats();
  }

  @Override
  public void close() {
    deadlines.shutdownNow();
    client.close(CloseMode.GRACEFUL);
    lookups.close();
  }
}
