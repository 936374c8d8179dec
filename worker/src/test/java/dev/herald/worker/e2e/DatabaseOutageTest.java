package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.api.errors.UnexpectedExceptionMapper;
import dev.herald.api.health.DatabaseFaults;
import dev.herald.api.health.DatabaseOutage;
import dev.herald.testing.db.TestDatabase;
import dev.herald.worker.e2e.HeraldHarness.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL going away and coming back, as clients and operators see it, with a proxy on
 * loopback between Herald and the shared server that is cut and restored: while it is cut,
 * requests answer 503 {@code unavailable} with {@code Retry-After} within a bounded time, the
 * health check says why, and Herald logs one line; once restored, requests succeed again and
 * Herald logs one line with the outage's duration.
 */
class DatabaseOutageTest {

  private static final Pattern HOST_PORT = Pattern.compile("//([^/:?]+)(?::(\\d+))?/");
  private static final Duration FAIL_FAST = Duration.ofSeconds(3);

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void whilePostgresqlIsAwayRequestsAnswer503AndOneLineIsLoggedEachWay() throws Exception {
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = logging.getLogger(Logger.ROOT_LOGGER_NAME);
    captured.setContext(logging);
    captured.start();
    try (TestDatabase database = TestDatabase.create();
        LoopbackProxy proxy = proxyTo(database);
        HeraldHarness herald =
            HeraldHarness.via(through(proxy, database), database, HeraldHarness.SECRET_KEY)) {
      root.addAppender(captured);
      assertThat(herald.call("GET", "/v1/subscriptions", null).status()).isEqualTo(200);
      assertThat(health(herald).get("postgresql").get("healthy").asBoolean()).isTrue();

      proxy.cut();
      long cutAt = System.nanoTime();
      long slowest = 0;
      for (int i = 0; i < 6; i++) {
        long start = System.nanoTime();
        Response r = i % 2 == 0
            ? herald.call("GET", "/v1/subscriptions", null)
            : herald.call("POST", "/v1/events", "{\"type\":\"order.paid\",\"data\":{}}");
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        slowest = Math.max(slowest, tookMillis);
        // Spread over about three seconds: the probe and the sweeper fail meanwhile too.
        Thread.sleep(500);
        ApiContractTest.assertProblem(r, 503, "unavailable");
        assertThat(r.header("Retry-After")).isEqualTo(String.valueOf(DatabaseOutage.RETRY_AFTER_SECONDS));
        assertThat(r.json().get("detail").asText()).contains("database");
      }
      System.out.printf("while PostgreSQL was away, the slowest of 6 requests took %d ms%n", slowest);
      long awayMillis = (System.nanoTime() - cutAt) / 1_000_000;
      assertThat(Duration.ofMillis(slowest)).isLessThan(FAIL_FAST);

      JsonNode down = health(herald).get("postgresql");
      assertThat(down.get("healthy").asBoolean()).isFalse();
      assertThat(down.get("message").asText()).startsWith("unreachable since ").contains("refused");

      long restored = System.nanoTime();
      proxy.restore();
      Duration recovery = awaitSuccess(herald);
      System.out.printf("requests succeeded again %d ms after PostgreSQL came back%n", recovery.toMillis());
      assertThat(recovery).isLessThan(Duration.ofSeconds(5));
      awaitLine(captured, Level.INFO, Duration.ofSeconds(5));
      assertThat(awayMillis).as("the outage lasted past several probes").isGreaterThan(3_000);
      System.out.printf("recovery logged %d ms after PostgreSQL came back%n",
          (System.nanoTime() - restored) / 1_000_000);
      assertThat(health(herald).get("postgresql").get("healthy").asBoolean()).isTrue();
      for (int i = 0; i < 3; i++) {
        assertThat(herald.call("GET", "/v1/subscriptions", null).status()).isEqualTo(200);
      }
    } finally {
      root.detachAppender(captured);
    }

    List<ILoggingEvent> outageLines = linesOf(captured, DatabaseOutage.class);
    outageLines.forEach(e -> System.out.println(e.getLevel() + " " + e.getFormattedMessage()));
    captured.list.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .forEach(e -> System.out.println("captured " + e.getLevel() + " " + e.getLoggerName() + ": "
            + e.getFormattedMessage()));
    assertThat(outageLines).hasSize(2);
    assertThat(outageLines.get(0).getLevel()).isEqualTo(Level.WARN);
    assertThat(outageLines.get(0).getFormattedMessage())
        .startsWith("PostgreSQL is unreachable").containsPattern("\\(SQLState 08\\d{3}\\)$");
    assertThat(outageLines.get(1).getLevel()).isEqualTo(Level.INFO);
    assertThat(outageLines.get(1).getFormattedMessage())
        .matches("PostgreSQL is reachable again after \\d+\\.\\d s unreachable");
    assertThat(linesOf(captured, UnexpectedExceptionMapper.class))
        .as("no request logged an internal error").isEmpty();
    assertThat(captured.list)
        .filteredOn(e -> e.getLoggerName().startsWith("dev.herald.")
            && e.getLevel().isGreaterOrEqual(Level.WARN))
        .as("Herald's warnings and errors: the outage's one line, no sweep's")
        .extracting(ILoggingEvent::getLoggerName)
        .containsExactly(DatabaseOutage.class.getName());
  }

  @Test
  void aBrokenQueryIsABugNotAnOutage() throws Exception {
    try (TestDatabase database = TestDatabase.create(); LoopbackProxy proxy = proxyTo(database)) {
      Throwable syntax = catchFrom(database.jdbi(), "SELEC 1");
      assertThat(DatabaseFaults.unreachable(syntax)).isNull();
      Throwable missing = catchFrom(database.jdbi(), "SELECT * FROM no_such_table");
      assertThat(DatabaseFaults.unreachable(missing)).isNull();

      // A connection lost under an open handle: the I/O error is an outage.
      PGSimpleDataSource proxied = new PGSimpleDataSource();
      proxied.setURL(through(proxy, database));
      try (org.jdbi.v3.core.Handle open = Jdbi.create(proxied).open()) {
        open.execute("SELECT 1");
        proxy.cut();
        Throwable lost = catchThrowable(() -> open.execute("SELECT 1"));
        assertThat(DatabaseFaults.unreachable(lost)).isNotNull().contains("SQLState 08");
      }
    }
  }

  private static Throwable catchFrom(Jdbi jdbi, String sql) {
    Throwable[] caught = new Throwable[1];
    assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute(sql)))
        .satisfies(e -> caught[0] = e);
    return caught[0];
  }

  private static LoopbackProxy proxyTo(TestDatabase database) throws Exception {
    Matcher m = HOST_PORT.matcher(database.jdbcUrl());
    assertThat(m.find()).as("host and port in %s", database.jdbcUrl()).isTrue();
    return LoopbackProxy.to(m.group(1), m.group(2) == null ? 5432 : Integer.parseInt(m.group(2)));
  }

  private static String through(LoopbackProxy proxy, TestDatabase database) {
    return HOST_PORT.matcher(database.jdbcUrl()).replaceFirst("//127.0.0.1:" + proxy.port() + "/");
  }

  private JsonNode health(HeraldHarness herald) throws Exception {
    HttpResponse<String> r = http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herald.app.getAdminPort() + "/healthcheck"))
            .timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    return HeraldHarness.JSON.readTree(r.body());
  }

  private static Duration awaitSuccess(HeraldHarness herald) throws Exception {
    long start = System.nanoTime();
    while (true) {
      Response r = herald.call("GET", "/v1/subscriptions", null);
      Duration since = Duration.ofNanos(System.nanoTime() - start);
      if (r.status() == 200) {
        return since;
      }
      assertThat(r.status()).isEqualTo(503);
      assertThat(since).as("requests succeed again").isLessThan(Duration.ofSeconds(30));
      Thread.sleep(50);
    }
  }

  private static void awaitLine(ListAppender<ILoggingEvent> captured, Level level, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (linesOf(captured, DatabaseOutage.class).stream().noneMatch(e -> e.getLevel() == level)) {
      assertThat(System.nanoTime()).as("a %s line within %s", level, timeout).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static List<ILoggingEvent> linesOf(ListAppender<ILoggingEvent> captured, Class<?> logger) {
    synchronized (captured.list) {
      return captured.list.stream().filter(e -> e.getLoggerName().equals(logger.getName())).toList();
    }
  }
}
