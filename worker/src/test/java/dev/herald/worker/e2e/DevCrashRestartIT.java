package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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
 * {@code herald dev} killed with -9 (a crash, an OOM kill, a closed laptop lid gone wrong) and
 * started again on the same {@code HERALD_DATA_DIR}, with its embedded PostgreSQL: the servers the
 * dead JVM started and could not stop (PostgreSQL always, the Temporal server when it runs the
 * real one) are stopped by the next start, which is serving within seconds, not after
 * PostgreSQL's 60 s wait for a directory that the leftover still holds, and everything made before
 * the kill is still there. Then a stop of the whole process group, as Ctrl-C in a terminal sends
 * it, leaves nothing running and logs no warning: the Temporal server, in a session of its own,
 * is stopped by herald dev after its worker.
 */
class DevCrashRestartIT {

  /**
   * How soon the second start must serve: a normal start (PostgreSQL, Temporal, Herald; 5 to 15 s
   * on an idle machine, up to 30 s on a busy one). Before leftovers were stopped, PostgreSQL waited
   * 60 s for its directory and herald dev then exited.
   */
  private static final Duration RESTART_LIMIT = Duration.ofSeconds(45);

  @TempDir Path dataDirectory;
  private final HttpClient http = HttpClient.newHttpClient();
  private HeraldProcess dev;
  private int apiPort;
  private int adminPort;
  private int starts;

  @BeforeEach
  void setUp() {
    apiPort = RealTemporal.freePort();
    adminPort = RealTemporal.freePort();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (dev != null && dev.isAlive()) {
      dev.stop(Duration.ofSeconds(60)); // it stops its own servers
    }
    // Whatever a failed test left: only the processes named by this data directory's pid files.
    pidIn(temporalPidFile()).ifPresent(DevCrashRestartIT::stopAndWait);
    pidIn(postgresPidFile()).ifPresent(DevCrashRestartIT::stopAndWait);
  }

  @Test
  void aKilledDevOnTheInMemoryServerRestartsAtOnceWithItsData() throws Exception {
    Map<String, String> env = env(Map.of("HERALD_TEMPORAL_CLI", "none"));
    crashAndRestart(env, false);
    stopGroupQuietly();
  }

  @Test
  void aKilledDevOnTheRealServerRestartsAtOnceWithItsDataAndACtrlCStopsItQuietly() throws Exception {
    Map<String, String> env = env(Map.of(
        "HERALD_TEMPORAL_CLI", RealTemporal.binary().toString(),
        "HERALD_TEMPORAL_UI_PORT", Integer.toString(RealTemporal.freePort())));
    crashAndRestart(env, true);
    stopGroupQuietly();
  }

  /** Starts dev, makes a subscription and a tenant, kills dev with -9 and starts it again. */
  private void crashAndRestart(Map<String, String> env, boolean realTemporal) throws Exception {
    startDev(env);
    dev.awaitHealthy(adminPort, Duration.ofSeconds(60));
    String key = Files.readString(dataDirectory.resolve("dev-api-key")).trim();
    api("POST", "/v1/subscriptions", key,
        "{\"name\":\"made-before-the-crash\",\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"order.*\"]}");
    HeraldProcess.run(dataDirectory, env, "tenant", "create", "acme-before-the-crash");

    ProcessHandle postgres = pidIn(postgresPidFile()).orElseThrow(() -> new AssertionError("no PostgreSQL pid"));
    Optional<ProcessHandle> temporal = pidIn(temporalPidFile());
    assertThat(temporal.isPresent()).as("a Temporal server of its own").isEqualTo(realTemporal);

    dev.close(); // SIGKILL: no shutdown hook runs
    assertThat(postgres.isAlive()).as("PostgreSQL outlives the killed herald dev").isTrue();
    temporal.ifPresent(t -> assertThat(t.isAlive()).as("so does the Temporal server").isTrue());

    long restarting = System.nanoTime();
    startDev(env);
    dev.awaitHealthy(adminPort, RESTART_LIMIT);
    long restartMillis = (System.nanoTime() - restarting) / 1_000_000;
    System.out.printf("DevCrashRestartIT: herald dev (%s Temporal) healthy %d ms after its restart"
        + " following kill -9%n", realTemporal ? "real" : "in-memory", restartMillis);

    assertThat(postgres.isAlive()).as("the leftover PostgreSQL was stopped").isFalse();
    assertThat(dev.output()).contains(
        "herald dev: stopped PostgreSQL left running by an earlier herald dev (pid " + postgres.pid() + ")");
    if (realTemporal) {
      assertThat(temporal.get().isAlive()).as("the leftover Temporal server was stopped").isFalse();
      assertThat(dev.output()).contains("herald dev: stopped the Temporal server left running by an"
          + " earlier herald dev (pid " + temporal.get().pid() + ")");
    }
    assertThat(api("GET", "/v1/subscriptions", key, null)).contains("made-before-the-crash");
    assertThat(HeraldProcess.run(dataDirectory, env, "tenant", "list")).contains("acme-before-the-crash");
  }

  /**
   * SIGTERM to herald dev's whole process group, as Ctrl-C in a terminal: nothing is logged as a
   * warning or a stack trace, and neither server is left running.
   */
  private void stopGroupQuietly() throws Exception {
    Optional<ProcessHandle> postgres = pidIn(postgresPidFile());
    Optional<ProcessHandle> temporal = pidIn(temporalPidFile());
    long logged = dev.output().lines().count();
    dev.stopGroup(Duration.ofSeconds(60));
    List<String> onShutdown = dev.output().lines().skip(logged).toList();
    assertThat(onShutdown).as("what herald dev logged after SIGTERM to its group")
        .noneMatch(HeraldProcess::isStackTraceLine)
        .noneMatch(l -> l.startsWith("WARN") || l.startsWith("ERROR"));
    // The pid files are gone once the servers stop; the processes end a moment later.
    postgres.ifPresent(p -> assertThat(exited(p)).as("PostgreSQL stops with herald dev").isTrue());
    temporal.ifPresent(t -> assertThat(exited(t)).as("the Temporal server stops with herald dev").isTrue());
  }

  private Map<String, String> env(Map<String, String> temporal) {
    Map<String, String> env = new HashMap<>(temporal);
    env.put("HERALD_DATA_DIR", dataDirectory.toString());
    env.put("HERALD_API_PORT", Integer.toString(apiPort));
    env.put("HERALD_ADMIN_PORT", Integer.toString(adminPort));
    env.put("HERALD_TEMPORAL_PORT", Integer.toString(RealTemporal.freePort()));
    return env; // no HERALD_DATABASE_URL: embedded PostgreSQL in the data directory
  }

  private void startDev(Map<String, String> env) {
    dev = HeraldProcess.startAsGroup("dev-" + ++starts, dataDirectory, env, "dev");
  }

  private Path postgresPidFile() {
    return dataDirectory.resolve("postgres").resolve("postmaster.pid");
  }

  private Path temporalPidFile() {
    return dataDirectory.resolve("temporal").resolve("temporal.pid");
  }

  /** The live process whose pid is on the first line of the file, if any. */
  private static Optional<ProcessHandle> pidIn(Path pidFile) throws IOException {
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
    if (first.isEmpty()) {
      return Optional.empty();
    }
    return ProcessHandle.of(Long.parseLong(first)).filter(ProcessHandle::isAlive);
  }

  /** Whether the process ends within a few seconds. */
  private static boolean exited(ProcessHandle process) {
    try {
      process.onExit().get(10, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return !process.isAlive();
    }
  }

  private static void stopAndWait(ProcessHandle process) {
    process.destroy();
    try {
      process.onExit().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
    }
  }

  private String api(String method, String path, String key, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
            .header("Authorization", "Bearer " + key)
            .timeout(Duration.ofSeconds(30));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    request.method(method, body == null
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isBetween(200, 299);
    return response.body();
  }
}
