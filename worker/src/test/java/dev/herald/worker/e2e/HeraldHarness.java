package dev.herald.worker.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.api.HeraldApplication;
import dev.herald.api.HeraldConfiguration;
import dev.herald.api.config.FileOrResourceSourceProvider;
import dev.herald.core.crypto.SecretKeyRing;
import dev.herald.core.ids.Ids;
import dev.herald.core.tenant.Scope;
import dev.herald.core.tenant.TenantDao;
import dev.herald.testing.db.TestDatabase;
import dev.herald.worker.WorkerExtension;
import dev.herald.worker.dev.DevTemporal;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Herald as {@code herald dev} runs it, in this JVM: the API and the worker on a Temporal server
 * bound to loopback (the in-memory one unless a test gives another), over a fresh PostgreSQL
 * database. Tests drive it over HTTP.
 */
final class HeraldHarness implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  /** The key that encrypts endpoint secrets in every harness. */
  static final String SECRET_KEY = SecretKeyRing.newKey();

  final TestDatabase database;
  private final boolean ownsDatabase;
  final DevTemporal temporal;
  private final boolean ownsTemporal;
  final DropwizardTestSupport<HeraldConfiguration> app;
  final String apiKey;
  private final HttpClient http = HttpClient.newHttpClient();
  private WorkflowServiceStubs temporalService;

  /** Herald on {@code herald-dev.yml}, with {@code extra} overrides after the harness's own. */
  HeraldHarness(ConfigOverride... extra) throws Exception {
    this(TestDatabase.create(), true, SECRET_KEY, null, extra);
  }

  /**
   * Herald on a Temporal server the caller keeps (closing the harness leaves it running), e.g.
   * the real one ({@code temporal server start-dev}).
   */
  static HeraldHarness onTemporal(DevTemporal temporal, ConfigOverride... extra) throws Exception {
    return new HeraldHarness(TestDatabase.create(), true, SECRET_KEY, temporal, extra);
  }

  /**
   * The same, sweeping as a deployed Herald does ({@code herald.yml}'s defaults: every 30 s, for
   * deliveries left pending over 60 s) rather than every second as tests do: for the benchmarks,
   * whose figures are Herald's as configured by default.
   */
  static HeraldHarness asDeployed(DevTemporal temporal, ConfigOverride... extra) throws Exception {
    TestDatabase database = TestDatabase.create();
    return new HeraldHarness(database, database.jdbcUrl(), true, SECRET_KEY, temporal, Sweep.DEPLOYED,
        extra);
  }

  /**
   * Herald on a database the caller keeps (closing the harness leaves it as it is), sealing
   * endpoint secrets with {@code secretKey}.
   */
  static HeraldHarness on(TestDatabase database, String secretKey, ConfigOverride... extra)
      throws Exception {
    return new HeraldHarness(database, false, secretKey, null, extra);
  }

  /**
   * Another Herald process, as a second {@code herald server} with its worker would be: on a
   * database and a Temporal server the caller keeps and shares with other harnesses.
   */
  static HeraldHarness sharing(TestDatabase database, DevTemporal temporal, ConfigOverride... extra)
      throws Exception {
    return new HeraldHarness(database, database.jdbcUrl(), false, SECRET_KEY, temporal, extra);
  }

  /**
   * Herald on a database the caller keeps, reached at {@code url} (e.g. through a proxy on
   * loopback) while the harness itself uses the database directly.
   */
  static HeraldHarness via(String url, TestDatabase database, String secretKey,
      ConfigOverride... extra) throws Exception {
    return new HeraldHarness(database, url, false, secretKey, null, extra);
  }

  /**
   * The same on a Temporal server the caller keeps, sweeping once an hour: for the benchmarks,
   * which count what goes through the proxy (a key cannot be overridden twice, see below).
   */
  static HeraldHarness via(String url, TestDatabase database, DevTemporal temporal,
      ConfigOverride... extra) throws Exception {
    return new HeraldHarness(database, url, false, SECRET_KEY, temporal, Sweep.HOURLY, extra);
  }

  /** How often the worker's sweeper runs, and how long a delivery stays pending before it acts. */
  private record Sweep(String intervalSeconds, String graceSeconds) {
    /** Tests: every second, after 2 s, so that a recovery shows within a test's patience. */
    static final Sweep TESTS = new Sweep("1", "2");
    /** Once an hour: out of what a counting proxy sees. */
    static final Sweep HOURLY = new Sweep("3600", "2");
    /** {@code herald.yml}'s defaults. */
    static final Sweep DEPLOYED = new Sweep("30", "60");
  }

  // One override per key: Dropwizard restores overridden properties one by one when a harness
  // closes, so a key overridden twice would leak its first value into the next harness.
  private HeraldHarness(
      TestDatabase database,
      boolean ownsDatabase,
      String secretKey,
      DevTemporal givenTemporal,
      ConfigOverride... extra)
      throws Exception {
    this(database, database.jdbcUrl(), ownsDatabase, secretKey, givenTemporal, extra);
  }

  private HeraldHarness(
      TestDatabase database,
      String databaseUrl,
      boolean ownsDatabase,
      String secretKey,
      DevTemporal givenTemporal,
      ConfigOverride... extra)
      throws Exception {
    this(database, databaseUrl, ownsDatabase, secretKey, givenTemporal, Sweep.TESTS, extra);
  }

  private HeraldHarness(
      TestDatabase database,
      String databaseUrl,
      boolean ownsDatabase,
      String secretKey,
      DevTemporal givenTemporal,
      Sweep sweep,
      ConfigOverride... extra)
      throws Exception {
    this.database = database;
    this.ownsDatabase = ownsDatabase;
    this.ownsTemporal = givenTemporal == null;
    temporal = givenTemporal == null ? DevTemporal.inMemory(0) : givenTemporal;
    List<ConfigOverride> overrides = new ArrayList<>(List.of(
        ConfigOverride.config("database.url", databaseUrl),
        ConfigOverride.config("temporal.address", temporal.address()),
        ConfigOverride.config("server.applicationConnectors[0].port", "0"),
        ConfigOverride.config("server.adminConnectors[0].port", "0"),
        ConfigOverride.config("worker.sweepIntervalSeconds", sweep.intervalSeconds()),
        ConfigOverride.config("worker.sweepGraceSeconds", sweep.graceSeconds()),
        ConfigOverride.config("security.secretKey", secretKey)));
    overrides.addAll(List.of(extra));
    app =
        new DropwizardTestSupport<>(
            HeraldApplication.class,
            "herald-dev.yml",
            new SubstitutingSourceProvider(
                new FileOrResourceSourceProvider(), new EnvironmentVariableSubstitutor(false)),
            overrides.toArray(ConfigOverride[]::new)) {
          @Override
          public Application<HeraldConfiguration> newApplication() {
            return new HeraldApplication(List.of(new WorkerExtension()), Clock.systemUTC());
          }
        };
    app.before();
    Clock clock = Clock.systemUTC();
    TenantDao tenants = new TenantDao(database.jdbi(), new Ids(clock), clock);
    apiKey = tenants.issueKey(tenants.create("acme", null).id(), Scope.all()).key();
  }

  /** A new tenant with a key of these scopes; returns the key. */
  String newTenantKey(String name, Integer maxSubscriptions, Set<Scope> scopes) {
    Clock clock = Clock.systemUTC();
    TenantDao tenants = new TenantDao(database.jdbi(), new Ids(clock), clock);
    return tenants.issueKey(tenants.create(name, maxSubscriptions).id(), scopes).key();
  }

  /** The JDBC URL of the database the application runs on, for the command line. */
  String databaseUrl() {
    return database.jdbcUrl();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + app.getLocalPort();
  }

  /** A call with the tenant's key. */
  Response call(String method, String path, String body) throws IOException, InterruptedException {
    return call(method, path, body, apiKey, "application/json");
  }

  Response call(String method, String path, String body, String key, String contentType)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    if (body != null) {
      request.header("Content-Type", contentType);
    }
    request.method(
        method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(
        response.statusCode(),
        response.headers().firstValue("content-type").orElse(""),
        response.body().isEmpty() ? null : JSON.readTree(response.body()),
        response.headers());
  }

  /** Polls GET {@code path} until the answer satisfies the condition, or fails at the deadline. */
  JsonNode awaitJson(String path, Predicate<JsonNode> condition, Duration timeout) throws Exception {
    return awaitJson(path, condition, timeout, apiKey);
  }

  /** The same, with another tenant's key. */
  JsonNode awaitJson(String path, Predicate<JsonNode> condition, Duration timeout, String key)
      throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    JsonNode last = null;
    while (Instant.now().isBefore(deadline)) {
      Response r = call("GET", path, null, key, null);
      last = r.json();
      if (r.status() == 200 && condition.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("condition not met within " + timeout + " for " + path + "; last: " + last);
  }

  /** A Temporal client of the harness's server, as an operator's tools would use. */
  synchronized WorkflowClient temporalClient() {
    if (temporalService == null) {
      temporalService =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
    }
    return WorkflowClient.newInstance(temporalService);
  }

  @Override
  public void close() {
    if (temporalService != null) {
      temporalService.shutdown();
    }
    app.after();
    if (ownsTemporal) {
      temporal.close();
    }
    if (ownsDatabase) {
      database.close();
    }
  }

  /** An API answer. */
  record Response(int status, String contentType, JsonNode json, HttpHeaders headers) {

    /** The first value of a response header, or null. */
    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }
}
