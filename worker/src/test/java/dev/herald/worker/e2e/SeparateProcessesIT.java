package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import dev.herald.core.crypto.SecretKeyRing;
import dev.herald.testing.db.TestDatabase;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import dev.herald.testing.receiver.RecordedRequest;
import dev.herald.worker.temporal.TemporalCliServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code herald server} and {@code herald worker} as two processes of the runnable jar, configured
 * only by the environment variables the README documents, on the real Temporal server and a fresh
 * PostgreSQL database: the server accepts, the worker delivers. With the worker stopped the server
 * still accepts and nothing is sent; a new worker process delivers the backlog.
 */
class SeparateProcessesIT {

  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration DELIVERY = Duration.ofSeconds(60);

  @TempDir static Path directory;
  private static TemporalCliServer temporal;
  private static TestDatabase database;
  private static LoopbackReceiver receiver;
  private static Map<String, String> env;
  private static final List<HeraldProcess> processes = new ArrayList<>();
  private static HeraldProcess worker;
  private static int apiPort;
  private static int serverAdmin;
  private static int workerAdmin;
  private static String key;
  private static final HttpClient http = HttpClient.newHttpClient();

  @RegisterExtension
  static final TestWatcher printLogsOnFailure = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      processes.forEach(p -> System.out.println(p.tail()));
    }
  };

  @BeforeAll
  static void start() throws Exception {
    temporal = RealTemporal.start(directory);
    database = TestDatabase.create();
    receiver = LoopbackReceiver.start();
    receiver.setDefault(ReceiverResponse.status(204));
    env = environment(database.jdbcUrl(), temporal.address());
    apiPort = RealTemporal.freePort();
    serverAdmin = RealTemporal.freePort();
    workerAdmin = RealTemporal.freePort();

    long spawned = System.nanoTime();
    HeraldProcess server = start("server", "server",
        Map.of("HERALD_API_PORT", "" + apiPort, "HERALD_ADMIN_PORT", "" + serverAdmin));
    worker = start("worker", "worker", Map.of("HERALD_ADMIN_PORT", "" + workerAdmin));
    server.awaitHealthy(serverAdmin, START);
    long serverUp = System.nanoTime();
    worker.awaitHealthy(workerAdmin, START);
    long workerUp = System.nanoTime();
    System.out.printf(
        "SeparateProcessesIT: started together, server healthy after %d ms, worker after %d ms%n",
        (serverUp - spawned) / 1_000_000, (workerUp - spawned) / 1_000_000);

    String created = HeraldProcess.run(
        directory, env, "tenant", "create", "acme", "--database-url", database.jdbcUrl());
    key = created.lines().filter(l -> l.startsWith("key ")).map(l -> l.substring(4).trim())
        .findFirst().orElseThrow(() -> new AssertionError("no key in:\n" + created));
  }

  @AfterAll
  static void stop() {
    processes.forEach(HeraldProcess::close);
    if (receiver != null) {
      receiver.close();
    }
    if (temporal != null) {
      temporal.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void theServerProcessAcceptsAndTheWorkerProcessDeliversEveryEventSigned() throws Exception {
    assertThat(HeraldProcess.healthStatus(serverAdmin)).isEqualTo(200);
    assertThat(HeraldProcess.healthStatus(workerAdmin)).isEqualTo(200);
    // Where Jetty says each connector listens: the admin ports on loopback only, the API on all.
    assertThat(worker.output()).containsPattern(
        "Started admin@\\w+\\{[^}]*\\}\\{127\\.0\\.0\\.1:" + workerAdmin + "\\}");
    assertThat(processes.get(0).output())
        .containsPattern("Started admin@\\w+\\{[^}]*\\}\\{127\\.0\\.0\\.1:" + serverAdmin + "\\}")
        .containsPattern("Started application@\\w+\\{[^}]*\\}\\{0\\.0\\.0\\.0:" + apiPort + "\\}");

    JsonNode subscription = subscribe("order.*");
    List<String> ids = publish("evt_split_", "order.paid", 20);

    RealTemporal.await("20 events at the receiver", DELIVERY,
        () -> arrived(ids).size() == ids.size());
    Webhook webhook = new Webhook(subscription.get("secret").asText());
    for (RecordedRequest request : arrived(ids)) {
      webhook.verify(request.bodyUtf8(), SubscriptionApiTest.headersOf(request));
      assertThat(request.header("herald-attempt")).isEqualTo("1");
    }
    assertThat(arrived(ids).stream().map(r -> r.header("webhook-id")))
        .containsExactlyInAnyOrderElementsOf(ids);
    awaitDeliveries(subscription, ids, "succeeded");
  }

  @Test
  void withTheWorkerStoppedTheServerStillAcceptsAndANewWorkerDeliversTheBacklog() throws Exception {
    aWorkerRuns();
    long logged = worker.output().lines().count();
    int exit = worker.stop(Duration.ofSeconds(30));
    List<String> onShutdown = worker.output().lines().skip(logged).toList();
    System.out.printf("SeparateProcessesIT: the worker logged %d lines after SIGTERM%n",
        onShutdown.size());
    assertThat(onShutdown).as("what the worker logged after SIGTERM")
        .noneMatch(HeraldProcess::isStackTraceLine)
        .noneMatch(l -> l.startsWith("WARN") || l.startsWith("ERROR"));
    assertThat(HeraldProcess.healthStatus(workerAdmin)).isEqualTo(-1);
    assertThat(HeraldProcess.healthStatus(serverAdmin)).isEqualTo(200);

    // A subscription of its own: the workflows of earlier deliveries may not have ended yet (their
    // records have), and the next worker ends them.
    JsonNode subscription = subscribe("invoice.*");
    List<String> ids = publish("evt_backlog_", "invoice.sent", 10);
    // Their workflows are started and wait for a worker: none polls, so nothing is sent.
    String running = "WorkflowType = 'DeliveryWorkflow' AND ExecutionStatus = 'Running'"
        + " AND HeraldSubscriptionId = '" + subscription.get("id").asText() + "'";
    String[] counted = {""};
    try {
      RealTemporal.await("10 delivery workflows running", Duration.ofSeconds(60), () -> {
        counted[0] = RealTemporal.cli(temporal, "workflow", "count", "--query", running).trim();
        return counted[0].equals("Total: 10");
      });
    } catch (AssertionError e) {
      // What Temporal counted and what the server said about its starts, in the one line a CI
      // summary shows.
      List<String> warnings = processes.get(0).output().lines()
          .filter(l -> l.startsWith("WARN") || l.startsWith("ERROR")).toList();
      throw new AssertionError(e.getMessage() + "; counted: " + counted[0] + "; deliveries: "
          + deliveries(subscription, ids).findValuesAsText("status") + "; the server warned: "
          + warnings.subList(Math.max(0, warnings.size() - 5), warnings.size()), e);
    }
    // A worker would take them within milliseconds.
    staysTrue("nothing sent while no worker runs", Duration.ofSeconds(3),
        () -> arrived(ids).isEmpty());
    awaitDeliveries(subscription, ids, "pending");

    long spawned = System.nanoTime();
    worker = start("worker-2", "worker", Map.of("HERALD_ADMIN_PORT", "" + workerAdmin));
    worker.awaitHealthy(workerAdmin, START);
    long up = System.nanoTime();
    RealTemporal.await("the backlog at the receiver", DELIVERY,
        () -> arrived(ids).size() == ids.size());
    long drained = System.nanoTime();
    assertThat(arrived(ids).stream().map(r -> r.header("webhook-id")))
        .containsExactlyInAnyOrderElementsOf(ids);
    awaitDeliveries(subscription, ids, "succeeded");
    System.out.printf("SeparateProcessesIT: worker exited %d on SIGTERM; a new worker was healthy"
        + " after %d ms and delivered the %d held back %d ms later%n",
        exit, (up - spawned) / 1_000_000, ids.size(), (drained - up) / 1_000_000);
  }

  @Test
  void anAttemptOnAWorkerKilledMidExchangeIsSentAgainWithinSeconds() throws Exception {
    aWorkerRuns();
    AtomicInteger hung = new AtomicInteger();
    receiver.setDefault(request -> request.path().equals("/hang") && hung.getAndIncrement() == 0
        ? ReceiverResponse.hang()
        : ReceiverResponse.status(204));
    HttpResponse<String> created = call("POST", "/v1/subscriptions",
        "{\"name\":\"crash\",\"url\":\"" + receiver.url("/hang") + "\",\"events\":[\"crash.*\"],"
            + "\"timeoutSeconds\":30}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode subscription = HeraldHarness.JSON.readTree(created.body());
    List<String> ids = publish("evt_crash_", "crash.now", 1);
    RealTemporal.await("the attempt in flight", DELIVERY, () -> arrived(ids).size() == 1);

    worker.close(); // SIGKILL, mid-exchange: no chance to record or fail the attempt
    long killed = System.nanoTime();
    worker = start("worker-3", "worker", Map.of("HERALD_ADMIN_PORT", "" + workerAdmin));
    worker.awaitHealthy(workerAdmin, START);
    long up = System.nanoTime();
    RealTemporal.await("the attempt sent again", DELIVERY, () -> arrived(ids).size() == 2);
    long again = System.nanoTime();
    awaitDeliveries(subscription, ids, "succeeded");
    System.out.printf("SeparateProcessesIT: a worker killed mid-attempt; a new one was healthy after"
        + " %d ms and the attempt was sent again %d ms after the kill (the attempt's workflow"
        + " task times out after 10 s)%n", (up - killed) / 1_000_000, (again - killed) / 1_000_000);

    assertThat(Duration.ofNanos(again - killed)).isLessThan(Duration.ofSeconds(30));
    assertThat(Duration.ofNanos(again - up)).isLessThan(Duration.ofSeconds(15));
    assertThat(arrived(ids)).extracting(r -> r.header("herald-attempt")).containsExactly("1", "1");
    receiver.setDefault(ReceiverResponse.status(204));
  }

  @Test
  void aWorkerKilledWhileGatheringABatchLosesNothingAndTheNextSendsEachEventOnce() throws Exception {
    aWorkerRuns();
    HttpResponse<String> created = call("POST", "/v1/subscriptions",
        "{\"name\":\"gathering\",\"url\":\"" + receiver.url("/batches") + "\","
            + "\"events\":[\"gather.*\"],\"batch\":{\"maxEvents\":100,\"maxWaitSeconds\":5}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode subscription = HeraldHarness.JSON.readTree(created.body());
    List<String> ids = new ArrayList<>(publish("evt_gather_a", "gather.one", 5));
    // The batcher took the wake and waits on its durable timer for the oldest's 5 s.
    String batcher = "batcher-" + subscription.get("id").asText();
    RealTemporal.await("the batcher waiting on its timer", Duration.ofSeconds(20), () ->
        RealTemporal.tryCli(temporal, "workflow", "show", "--workflow-id", batcher).output()
            .contains("TimerStarted"));

    worker.close(); // SIGKILL while gathering
    long killed = System.nanoTime();
    ids.addAll(publish("evt_gather_b", "gather.two", 3));
    worker = start("worker-gather", "worker", Map.of("HERALD_ADMIN_PORT", "" + workerAdmin));
    worker.awaitHealthy(workerAdmin, START);

    RealTemporal.await("every gathered event at the receiver", DELIVERY,
        () -> batchedEventIds().containsAll(ids));
    long arrived = System.nanoTime();
    Thread.sleep(1_000);
    List<RecordedRequest> batches = receiver.requests().stream()
        .filter(r -> r.path().equals("/batches")).toList();
    List<String> sent = batchedEventIds();
    assertThat(sent).as("each event once").containsExactlyInAnyOrderElementsOf(ids);
    Webhook webhook = new Webhook(subscription.get("secret").asText());
    for (RecordedRequest r : batches) {
      assertThat(r.header("webhook-id")).startsWith("bat_");
      webhook.verify(r.bodyUtf8(), SubscriptionApiTest.headersOf(r));
    }
    assertThat(batches.size()).as("requests for 8 events").isBetween(1, 2);
    System.out.printf("SeparateProcessesIT: a worker killed while gathering 5 events; 3 more"
        + " published while none ran; all 8 arrived once, in %d request(s), %d ms after the kill%n",
        batches.size(), (arrived - killed) / 1_000_000);
  }

  /** The event ids inside every batch the receiver got at {@code /batches}, in arrival order. */
  private static List<String> batchedEventIds() {
    List<String> ids = new ArrayList<>();
    for (RecordedRequest r : receiver.requests()) {
      if (r.path().equals("/batches")) {
        try {
          HeraldHarness.JSON.readTree(r.body()).get("events")
              .forEach(e -> ids.add(e.get("id").asText()));
        } catch (java.io.IOException e) {
          throw new AssertionError("a batch body that is not JSON: " + r.bodyUtf8(), e);
        }
      }
    }
    return ids;
  }

  /** Starts a worker when none runs: a test that failed after stopping one is not the next one's subject. */
  private static void aWorkerRuns() throws Exception {
    if (!worker.isAlive()) {
      worker = start("worker-again-" + System.nanoTime(), "worker",
          Map.of("HERALD_ADMIN_PORT", "" + workerAdmin));
      worker.awaitHealthy(workerAdmin, START);
    }
  }

  /** {@code herald <command>} on the common environment and these ports, logging to name.log. */
  private static HeraldProcess start(String name, String command, Map<String, String> ports) {
    Map<String, String> processEnv = new HashMap<>(env);
    processEnv.putAll(ports);
    HeraldProcess p = HeraldProcess.start(name, directory, processEnv, command);
    processes.add(p);
    return p;
  }

  /** The README's variables: the database's user and password apart from its URL. */
  private static Map<String, String> environment(String jdbcUrl, String temporalAddress) {
    Map<String, String> env = new HashMap<>();
    int query = jdbcUrl.indexOf('?');
    List<String> kept = new ArrayList<>();
    if (query >= 0) {
      for (String param : jdbcUrl.substring(query + 1).split("&")) {
        String[] pair = param.split("=", 2);
        switch (pair[0]) {
          case "user" -> env.put("HERALD_DATABASE_USER", pair[1]);
          case "password" -> env.put("HERALD_DATABASE_PASSWORD", pair[1]);
          default -> kept.add(param);
        }
      }
    }
    String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    env.put("HERALD_DATABASE_URL", kept.isEmpty() ? base : base + "?" + String.join("&", kept));
    env.put("HERALD_TEMPORAL_ADDRESS", temporalAddress);
    env.put("HERALD_SECRET_KEY", SecretKeyRing.newKey());
    env.put("HERALD_ALLOW_HTTP", "true");
    env.put("HERALD_ALLOWED_NETWORKS", "127.0.0.0/8");
    env.put("HERALD_SWEEP_INTERVAL_SECONDS", "1");
    env.put("HERALD_SWEEP_GRACE_SECONDS", "2");
    return env;
  }

  private static JsonNode subscribe(String events) throws Exception {
    HttpResponse<String> r = call("POST", "/v1/subscriptions", "{\"name\":\"split\",\"url\":\""
        + receiver.url("/hooks") + "\",\"events\":[\"" + events + "\"]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return HeraldHarness.JSON.readTree(r.body());
  }

  private static List<String> publish(String prefix, String type, int count) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = prefix + i;
      HttpResponse<String> r = call("POST", "/v1/events",
          "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"data\":{\"n\":" + i + "}}");
      assertThat(r.statusCode()).as("publish %s: %s", id, r.body()).isEqualTo(202);
      ids.add(id);
    }
    return ids;
  }

  private static List<RecordedRequest> arrived(List<String> ids) {
    return receiver.requests().stream().filter(r -> ids.contains(r.header("webhook-id"))).toList();
  }

  /** Polls until the deliveries of these events all have this status. */
  private static void awaitDeliveries(JsonNode subscription, List<String> ids, String status)
      throws Exception {
    JsonNode[] last = new JsonNode[1];
    try {
      RealTemporal.await("deliveries " + status, DELIVERY, () -> {
        last[0] = deliveries(subscription, ids);
        if (last[0].size() != ids.size()) {
          return false;
        }
        for (JsonNode d : last[0]) {
          if (!d.get("status").asText().equals(status)) {
            return false;
          }
        }
        return true;
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; last: " + last[0], e);
    }
  }

  private static JsonNode deliveries(JsonNode subscription, List<String> ids) {
    try {
      HttpResponse<String> r = call("GET",
          "/v1/deliveries?limit=100&subscriptionId=" + subscription.get("id").asText(), null);
      var of = HeraldHarness.JSON.createArrayNode();
      HeraldHarness.JSON.readTree(r.body()).get("data").forEach(d -> {
        if (ids.contains(d.get("eventId").asText())) {
          of.add(d);
        }
      });
      return of;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Polls for {@code window}, failing as soon as the condition does not hold. */
  private static void staysTrue(String what, Duration window, BooleanSupplier condition)
      throws InterruptedException {
    long end = System.nanoTime() + window.toNanos();
    while (System.nanoTime() < end) {
      assertThat(condition.getAsBoolean()).as(what).isTrue();
      Thread.sleep(100);
    }
  }

  private static HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + key)
            .method(method, body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
