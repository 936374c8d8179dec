package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.db.TestDatabase;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import dev.herald.worker.temporal.TemporalCliServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code herald dev} as a user runs it ({@code java -jar herald.jar dev}), with the {@code
 * temporal} CLI present: it starts the real server on loopback with its database in {@code
 * HERALD_DATA_DIR}, registers the search attributes, prints the Web UI's address, and a workflow
 * waiting out a backoff is still the same run after {@code herald dev} restarts. A {@code herald
 * dev} killed with -9 leaves its Temporal server behind; the next start stops it first. With
 * {@code HERALD_TEMPORAL_ADDRESS} it uses that server and starts none; without the CLI it says it
 * runs the in-memory server.
 */
class DevModeIT {

  /** In the settings of {@link #startDev(Map)}: embedded PostgreSQL, not the test's database. */
  private static final String NO_DATABASE_URL = "no database url";

  @TempDir Path dataDirectory;
  private final HttpClient http = HttpClient.newHttpClient();
  private TestDatabase database;
  private LoopbackReceiver receiver;
  private HeraldProcess dev;
  private int apiPort;
  private int uiPort;
  private int starts;

  @BeforeEach
  void setUp() {
    database = TestDatabase.create();
    receiver = LoopbackReceiver.start();
    apiPort = RealTemporal.freePort();
    uiPort = RealTemporal.freePort();
  }

  @AfterEach
  void tearDown() throws IOException {
    if (dev != null) {
      dev.close();
    }
    leftoverTemporal().ifPresent(ProcessHandle::destroyForcibly);
    receiver.close();
    database.close();
  }

  @Test
  void devRunsTheRealServerWithItsUiAndAWaitingDeliverySurvivesARestart() throws Exception {
    int temporalPort = RealTemporal.freePort();
    String banner = startDev(temporalPort);
    assertThat(banner)
        .contains("Temporal  127.0.0.1:" + temporalPort + " (temporal server start-dev")
        .contains("UI        http://127.0.0.1:" + uiPort);
    // The Web UI's own server: its settings (signals may be sent from the UI) and the search
    // attributes it offers in the query box.
    JsonNode settings = HeraldHarness.JSON.readTree(ui("/api/v1/settings"));
    assertThat(settings.get("Version").asText()).isNotBlank();
    assertThat(settings.get("WorkflowSignalDisabled").asBoolean()).isFalse();
    assertThat(HeraldHarness.JSON.readTree(ui("/api/v1/namespaces/default/search-attributes"))
        .get("customAttributes").get("HeraldDeliveryStatus").asText()).isEqualTo("INDEXED_VALUE_TYPE_KEYWORD");
    assertThat(Files.exists(dataDirectory.resolve("temporal/temporal.db"))).isTrue();
    assertThat(Files.exists(dataDirectory.resolve("temporal/temporal.db-wal")))
        .as("the server writes ahead (journal_mode=wal)").isTrue();
    String address = "127.0.0.1:" + temporalPort;
    assertThat(cli(address, "operator", "search-attribute", "list")).contains("HeraldDeliveryStatus");

    receiver.setDefault(ReceiverResponse.status(503));
    String key = Files.readString(dataDirectory.resolve("dev-api-key")).trim();
    String sub = api("POST", "/v1/subscriptions", key,
        "{\"name\":\"dev\",\"url\":\"" + receiver.url() + "\",\"events\":[\"order.*\"],\"retrySchedule\":[600]}")
        .get("id").asText();
    api("POST", "/v1/events", key, "{\"id\":\"evt_dev_1\",\"type\":\"order.paid\",\"data\":{}}");
    String delivery = api("GET", "/v1/events/evt_dev_1", key, null).get("deliveries").get(0).get("id").asText();
    RealTemporal.await("the first attempt failed", Duration.ofSeconds(60),
        () -> "retrying".equals(uncheckedApi("GET", "/v1/deliveries/" + delivery, key).get("status").asText()));
    String runBefore = runId(address, "delivery-" + delivery);

    stopDev();
    assertThat(leftoverTemporal()).as("the Temporal server stops with herald dev").isEmpty();
    startDev(temporalPort);

    JsonNode after = describe(address, "delivery-" + delivery);
    assertThat(after.at("/workflowExecutionInfo/execution/runId").asText()).as("the same run").isEqualTo(runBefore);
    assertThat(after.at("/workflowExecutionInfo/status").asText()).isEqualTo("WORKFLOW_EXECUTION_STATUS_RUNNING");
    receiver.setDefault(ReceiverResponse.status(204));
    cli(address, "workflow", "signal", "--workflow-id", "delivery-" + delivery, "--name", "retryNow");
    RealTemporal.await("the retry succeeded", Duration.ofSeconds(60),
        () -> "succeeded".equals(uncheckedApi("GET", "/v1/deliveries/" + delivery, key).get("status").asText()));
    assertThat(receiver.requests()).hasSize(2);
    assertThat(receiver.requests().get(1).header("herald-attempt")).isEqualTo("2");
    assertThat(sub).startsWith("sub_");
  }

  @Test
  void aTemporalServerLeftBehindByAKilledDevIsStoppedByTheNextStart() throws Exception {
    int temporalPort = RealTemporal.freePort();
    startDev(temporalPort);
    dev.close(); // SIGKILL
    ProcessHandle orphan = leftoverTemporal().orElseThrow(() -> new AssertionError("no Temporal server left"));
    assertThat(orphan.isAlive()).isTrue();

    String banner = startDev(temporalPort);

    assertThat(orphan.isAlive()).as("the leftover server was stopped").isFalse();
    assertThat(banner).contains("UI        http://127.0.0.1:" + uiPort);
    assertThat(leftoverTemporal()).isPresent().get().isNotEqualTo(orphan);
    assertThat(dev.output()).contains("herald dev: stopped the Temporal server left running by an"
        + " earlier herald dev (pid " + orphan.pid() + ")");
  }

  @Test
  void aStopWithAnAttemptInFlightWaitsForItAndLogsNoStackTrace() throws Exception {
    // Embedded PostgreSQL in the data directory and the real Temporal server, as a user runs it.
    Map<String, String> env = new HashMap<>(Map.of(
        "HERALD_TEMPORAL_PORT", Integer.toString(RealTemporal.freePort()),
        "HERALD_TEMPORAL_UI_PORT", Integer.toString(uiPort),
        "HERALD_TEMPORAL_CLI", RealTemporal.binary().toString()));
    env.put(NO_DATABASE_URL, "");
    startDev(env);
    String key = Files.readString(dataDirectory.resolve("dev-api-key")).trim();
    receiver.setDefault(ReceiverResponse.hang());
    api("POST", "/v1/subscriptions", key, "{\"name\":\"dev\",\"url\":\"" + receiver.url()
        + "\",\"events\":[\"order.*\"],\"retrySchedule\":[600],\"timeoutSeconds\":4}");
    api("POST", "/v1/events", key, "{\"id\":\"evt_dev_stop\",\"type\":\"order.paid\",\"data\":{}}");
    receiver.awaitRequests(1, Duration.ofSeconds(30));

    // The attempt hangs until its 4 s deadline: SIGTERM comes while it is in flight.
    long logged = dev.output().lines().count();
    long stopping = System.nanoTime();
    dev.stop(Duration.ofSeconds(60));
    long stopMillis = (System.nanoTime() - stopping) / 1_000_000;
    List<String> onShutdown = dev.output().lines().skip(logged).toList();
    System.out.printf("DevModeIT: herald dev stopped %d ms after SIGTERM with an attempt in flight,"
        + " logging %d lines%n", stopMillis, onShutdown.size());
    assertThat(onShutdown).as("what herald dev logged after SIGTERM")
        .noneMatch(HeraldProcess::isStackTraceLine)
        .noneMatch(l -> l.startsWith("WARN") || l.startsWith("ERROR"));
    assertThat(leftoverTemporal()).as("the Temporal server stops with herald dev").isEmpty();
  }

  private String ui(String path) throws Exception {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uiPort + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s on the UI", path).isEqualTo(200);
    return response.body();
  }

  @Test
  void aTemporalAddressIsUsedAsItIsAndWithoutTheCliDevSaysItRunsInMemory() throws Exception {
    try (TemporalCliServer theirs = RealTemporal.start(dataDirectory.resolve("theirs"))) {
      String banner = startDev(Map.of("HERALD_TEMPORAL_ADDRESS", theirs.address()));
      assertThat(banner)
          .contains("Temporal  " + theirs.address() + " (HERALD_TEMPORAL_ADDRESS")
          .contains("UI        that server's own");
      assertThat(Files.exists(dataDirectory.resolve("temporal"))).as("no server of its own").isFalse();
      assertThat(RealTemporal.cli(theirs, "operator", "search-attribute", "list")).contains("HeraldDeliveryStatus");
      stopDev();
      assertThat(theirs.isAlive()).as("a server herald dev did not start is left running").isTrue();
    }

    String banner = startDev(Map.of("HERALD_TEMPORAL_CLI", "none", "HERALD_TEMPORAL_PORT",
        Integer.toString(RealTemporal.freePort())));
    assertThat(banner)
        .contains("(in memory, namespace default; no Web UI: run scripts/install-temporal-cli)")
        .contains("UI        none");
    assertThat(dev.output()).contains("running Temporal's in-memory server instead");
  }

  /** Starts {@code herald dev} with the test's Temporal server and UI ports and the CLI. */
  private String startDev(int temporalPort) throws Exception {
    return startDev(Map.of(
        "HERALD_TEMPORAL_PORT", Integer.toString(temporalPort),
        "HERALD_TEMPORAL_UI_PORT", Integer.toString(uiPort),
        "HERALD_TEMPORAL_CLI", RealTemporal.binary().toString()));
  }

  /** Starts {@code herald dev} with these Temporal settings and returns its banner once it is up. */
  private String startDev(Map<String, String> temporal) throws Exception {
    Map<String, String> env = new HashMap<>(temporal);
    env.put("HERALD_DATA_DIR", dataDirectory.toString());
    if (env.remove(NO_DATABASE_URL) == null) {
      env.put("HERALD_DATABASE_URL", database.jdbcUrl());
    }
    env.put("HERALD_API_PORT", Integer.toString(apiPort));
    env.put("HERALD_ADMIN_PORT", Integer.toString(RealTemporal.freePort()));
    dev = HeraldProcess.start("dev-" + ++starts, dataDirectory, env, "dev");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      String output = dev.output();
      if (output.contains("Development mode: endpoint URLs")) {
        return output.substring(output.indexOf("Herald dev is running"));
      }
      if (!dev.isAlive()) {
        throw new AssertionError("herald dev exited:\n" + dev.tail());
      }
      Thread.sleep(200);
    }
    throw new AssertionError("herald dev did not start within 120 s:\n" + dev.tail());
  }

  /** SIGTERM, as Ctrl-C: the worker and the sweeper stop before the servers they use. */
  private void stopDev() throws InterruptedException {
    dev.stop(Duration.ofSeconds(30));
    assertThat(dev.output())
        .doesNotContain("sweep failed")
        .doesNotContain("failed to call shutdown worker");
  }

  /** The Temporal server named by the pid file in the data directory, if it runs. */
  private Optional<ProcessHandle> leftoverTemporal() throws IOException {
    Path pidFile = dataDirectory.resolve("temporal/temporal.pid");
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).filter(ProcessHandle::isAlive);
  }

  private String runId(String address, String workflowId) throws IOException {
    return describe(address, workflowId).at("/workflowExecutionInfo/execution/runId").asText();
  }

  private JsonNode describe(String address, String workflowId) throws IOException {
    return HeraldHarness.JSON.readTree(
        cli(address, "workflow", "describe", "--workflow-id", workflowId, "--output", "json"));
  }

  private static String cli(String address, String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--address";
    all[args.length + 1] = address;
    RealTemporal.CliResult result = RealTemporal.run(all);
    assertThat(result.exitCode()).as("temporal %s: %s", String.join(" ", args), result.output()).isZero();
    return result.output();
  }

  private JsonNode uncheckedApi(String method, String path, String key) {
    try {
      return api(method, path, key, null);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private JsonNode api(String method, String path, String key, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
            .header("Authorization", "Bearer " + key)
            .timeout(Duration.ofSeconds(30));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isBetween(200, 299);
    return HeraldHarness.JSON.readTree(response.body());
  }
}
