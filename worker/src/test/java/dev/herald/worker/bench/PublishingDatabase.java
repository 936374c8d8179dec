package dev.herald.worker.bench;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.config.HeraldDataSourceFactory;
import dev.herald.core.crypto.SecretCipher;
import dev.herald.core.crypto.SecretKeyRing;
import dev.herald.core.db.Database;
import dev.herald.core.delivery.DeliveryDao;
import dev.herald.core.event.EventDao;
import dev.herald.core.event.EventPublisher;
import dev.herald.core.event.EventRequest;
import dev.herald.core.ids.Ids;
import dev.herald.core.metrics.HeraldMetrics;
import dev.herald.core.signing.WebhookSigner;
import dev.herald.core.subscription.EndpointAuth;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.subscription.SubscriptionDao;
import dev.herald.core.subscription.WireFormat;
import dev.herald.testing.db.TestDatabase;
import io.dropwizard.db.ManagedDataSource;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;

/**
 * What the SQL benchmarks share: a fresh database, changed by the caller before use, reached
 * through a pool of 16 connections as the API's request threads reach theirs, with Herald's
 * publisher and delivery records on it, and a tenant with one subscription to every event.
 */
final class PublishingDatabase implements AutoCloseable {

  final TestDatabase database;
  final Jdbi jdbi;
  final EventPublisher publisher;
  final DeliveryDao deliveries;
  final String tenantId;
  final Clock clock = Clock.systemUTC();
  final Ids ids = new Ids(clock);
  private final ManagedDataSource pool;
  private final ObjectMapper json = new ObjectMapper();
  private final AtomicInteger sequence = new AtomicInteger();

  /**
   * @param change run on the new database before the pool opens (a constraint or index changed)
   * @param urlSuffix appended to the pool's JDBC URL (a connection parameter, such as {@code
   *     &sslmode=disable}); empty for none
   */
  PublishingDatabase(String name, Consumer<TestDatabase> change, String urlSuffix)
      throws Exception {
    this.database = TestDatabase.create();
    change.accept(database);
    HeraldDataSourceFactory factory = new HeraldDataSourceFactory();
    factory.setDriverClass("org.postgresql.Driver");
    factory.setUrl(database.jdbcUrl() + urlSuffix);
    factory.setMinSize(16);
    factory.setInitialSize(16);
    factory.setMaxSize(16);
    this.pool = factory.build(new MetricRegistry(), name);
    pool.start();
    this.jdbi = Database.jdbi(pool);
    SubscriptionDao subscriptions =
        new SubscriptionDao(jdbi, json, new SecretCipher(SecretKeyRing.generate()));
    this.deliveries = new DeliveryDao(jdbi, subscriptions);
    this.publisher = new EventPublisher(jdbi, new EventDao(jdbi, json), subscriptions, deliveries,
        json, ids, clock, HeraldMetrics.none());
    this.tenantId = new dev.herald.core.tenant.TenantDao(jdbi, ids, clock).create("bench", null).id();
    Instant now = clock.instant();
    subscriptions.insert(new Subscription(ids.next("sub"), tenantId, "everything",
        "https://hooks.example.com/h", List.of("*"), Map.of(), Map.of(), List.of(5, 300), 5, 20,
        86400, WireFormat.DEFAULT, EndpointAuth.NONE, WebhookSigner.newSecret(), null, null, true,
        false, null, null, 0, null, null, now, now));
  }

  /** Work a burst's threads do, a piece per call, until it answers false. */
  interface Piece {
    boolean next() throws Exception;
  }

  /** A burst's duration, and its CPU per piece counted as {@code n}. */
  record Burst(double seconds, CpuMeter.Cost cost) {}

  /** Runs {@code piece} on {@code threads} threads until each is told there is no more. */
  static Burst burst(int threads, int n, Piece piece) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CpuMeter.Reading before = CpuMeter.read();
    long start = System.nanoTime();
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        running.add(pool.submit(() -> {
          while (piece.next()) {
            // one piece per call
          }
          return null;
        }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Burst(seconds, CpuMeter.read().per(before, n));
  }

  /** A new order.paid event, each with data of its own. */
  EventRequest request() {
    int n = sequence.incrementAndGet();
    ObjectNode data = json.createObjectNode()
        .put("orderId", "ord_" + n)
        .put("amount", 12550)
        .put("currency", "EUR");
    data.putObject("customer").put("id", "cus_" + (n % 97)).put("email", "someone@example.com");
    return new EventRequest(null, "order.paid", data, Map.of());
  }

  @Override
  public void close() throws Exception {
    pool.stop();
    database.close();
  }
}
