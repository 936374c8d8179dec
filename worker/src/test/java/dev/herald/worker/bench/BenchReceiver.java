package dev.herald.worker.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The endpoint of the benchmark, on 127.0.0.1 only: the JDK's HTTP server with a pool of
 * threads, keeping connections alive. {@code /ok/...} answers 204 at once and records when each
 * webhook id first arrived (and, for Herald's requests, the delivery id and attempt number);
 * {@code /fail/...} answers 503 without {@code Retry-After} and only counts.
 */
final class BenchReceiver implements AutoCloseable {

  /** One arrival: {@link System#nanoTime()} when it was read, and Herald's headers if any. */
  record Arrival(long nanos, String deliveryId, String attempt) {}

  private final HttpServer server;
  private final ExecutorService pool;
  private final Map<String, Arrival> arrivals = new ConcurrentHashMap<>();
  private final AtomicInteger okRequests = new AtomicInteger();
  private final AtomicInteger failRequests = new AtomicInteger();

  private BenchReceiver(HttpServer server, ExecutorService pool) {
    this.server = server;
    this.pool = pool;
  }

  static BenchReceiver start(int threads) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "bench-receiver");
      t.setDaemon(true);
      return t;
    });
    BenchReceiver receiver = new BenchReceiver(server, pool);
    server.createContext("/ok", receiver::ok);
    server.createContext("/fail", receiver::fail);
    server.setExecutor(pool);
    server.start();
    return receiver;
  }

  /** {@code http://127.0.0.1:<port><path>}. */
  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private void ok(HttpExchange exchange) throws IOException {
    long now = System.nanoTime();
    drain(exchange);
    var headers = exchange.getRequestHeaders();
    String id = headers.getFirst("webhook-id");
    if (id != null) {
      arrivals.putIfAbsent(id,
          new Arrival(now, headers.getFirst("herald-delivery-id"), headers.getFirst("herald-attempt")));
    }
    okRequests.incrementAndGet();
    exchange.sendResponseHeaders(204, -1);
    exchange.close();
  }

  private void fail(HttpExchange exchange) throws IOException {
    drain(exchange);
    failRequests.incrementAndGet();
    byte[] body = "unavailable".getBytes();
    exchange.sendResponseHeaders(503, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private static void drain(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }

  Arrival arrival(String webhookId) {
    return arrivals.get(webhookId);
  }

  int arrivals() {
    return arrivals.size();
  }

  /**
   * Arrivals whose {@code webhook-id} starts with {@code prefix}: a run waits for its own, not for
   * late ones of the run before it.
   */
  int arrivals(String prefix) {
    int n = 0;
    for (String id : arrivals.keySet()) {
      if (id.startsWith(prefix)) {
        n++;
      }
    }
    return n;
  }

  int okRequests() {
    return okRequests.get();
  }

  int failRequests() {
    return failRequests.get();
  }

  /** Forgets every arrival recorded so far (between runs, once a run's arrivals are all in). */
  void forget() {
    arrivals.clear();
  }

  /** Waits until {@code count} reaches {@code target}; fails with {@code what} at the deadline. */
  static void await(String what, IntSupplier count, int target, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count.getAsInt() < target) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": " + count.getAsInt() + " of " + target + " within " + timeout);
      }
      Thread.sleep(2);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
