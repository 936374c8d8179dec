package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.tenant.Scope;
import dev.herald.worker.temporal.TemporalCliServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Herald (API and worker in this JVM, over a fresh PostgreSQL) on a real Temporal server of its
 * own, for the integration tests: a tenant's client over HTTP on one side, an operator's {@code
 * temporal} command line on the other.
 */
final class RealHerald implements AutoCloseable {

  /** How long anything that should happen at once may take on a loaded machine. */
  static final Duration PATIENCE = Duration.ofSeconds(60);

  private static final Pattern TOTAL = Pattern.compile("Total: (\\d+)");
  private static final Pattern BATCH_JOB = Pattern.compile("Started batch for job ID: (\\S+)");

  final TemporalCliServer server;
  final HeraldHarness herald;

  private RealHerald(TemporalCliServer server, HeraldHarness herald) {
    this.server = server;
    this.herald = herald;
  }

  static RealHerald start(Path directory) throws Exception {
    return start(directory, Map.of());
  }

  /** With server settings ({@code --dynamic-config-value key=value}). */
  static RealHerald start(Path directory, Map<String, String> dynamicConfig) throws Exception {
    TemporalCliServer server = RealTemporal.start(directory, dynamicConfig);
    try {
      return new RealHerald(server, HeraldHarness.onTemporal(RealTemporal.asDevTemporal(server)));
    } catch (Exception | AssertionError e) {
      server.close();
      throw e;
    }
  }

  /** A key of a new tenant of all scopes. */
  String newTenant(String name) {
    return herald.newTenantKey(name + "-" + UUID.randomUUID(), null, Scope.all());
  }

  /**
   * Subscribes {@code url} to {@code order.*}; {@code settings} are further fields of the
   * request, e.g. {@code "retrySchedule":[600,600]}. Returns the subscription's id.
   */
  String subscribe(String key, String url, String settings) throws Exception {
    HeraldHarness.Response r = herald.call("POST", "/v1/subscriptions",
        "{\"name\":\"it\",\"url\":\"" + url + "\",\"events\":[\"order.*\"]," + settings + "}",
        key, "application/json");
    assertThat(r.status()).as("subscribe: %s", r.json()).isEqualTo(201);
    return r.json().get("id").asText();
  }

  /** Publishes an {@code order.paid} event; returns the ids of its deliveries. */
  List<String> publish(String key) throws Exception {
    String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");
    HeraldHarness.Response published = herald.call("POST", "/v1/events",
        "{\"id\":\"" + eventId + "\",\"type\":\"order.paid\",\"data\":{}}", key, "application/json");
    assertThat(published.status()).isEqualTo(202);
    List<String> ids = new ArrayList<>();
    get(key, "/v1/events/" + eventId).get("deliveries").forEach(d -> ids.add(d.get("id").asText()));
    return ids;
  }

  /** GET {@code path} with the tenant's key; fails unless 200. */
  JsonNode get(String key, String path) throws Exception {
    HeraldHarness.Response r = herald.call("GET", path, null, key, null);
    assertThat(r.status()).as("GET %s: %s", path, r.json()).isEqualTo(200);
    return r.json();
  }

  /** GET /v1/deliveries/{id}. */
  JsonNode delivery(String key, String id) throws Exception {
    return get(key, "/v1/deliveries/" + id);
  }

  /** Polls the delivery until it satisfies the condition. */
  JsonNode awaitDelivery(String key, String id, Predicate<JsonNode> condition) throws Exception {
    return herald.awaitJson("/v1/deliveries/" + id, condition, PATIENCE, key);
  }

  /** Polls until the delivery has this status. */
  JsonNode awaitStatus(String key, String id, String status) throws Exception {
    return awaitDelivery(key, id, d -> d.get("status").asText().equals(status));
  }

  /** {@code temporal <args>} against this server; fails when it exits non-zero. */
  String cli(String... args) {
    return RealTemporal.cli(server, args);
  }

  /** {@code temporal workflow count --query <query>}: how many runs the list query finds. */
  int count(String query) {
    String printed = cli("workflow", "count", "--query", query);
    Matcher total = TOTAL.matcher(printed);
    assertThat(total.find()).as("a total in %s", printed).isTrue();
    return Integer.parseInt(total.group(1));
  }

  /**
   * {@code temporal workflow query --workflow-id <id> --name <query> -o json}: the query's
   * answer; null while the workflow does not answer (not started yet).
   */
  JsonNode query(String workflowId, String query) {
    RealTemporal.CliResult r = RealTemporal.tryCli(server,
        "workflow", "query", "--workflow-id", workflowId, "--name", query, "-o", "json");
    if (r.exitCode() != 0) {
      return null;
    }
    try {
      JsonNode printed = HeraldHarness.JSON.readTree(r.output());
      JsonNode result = printed.path("queryResult");
      return result.isArray() ? result.get(0) : result;
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + r.output(), e);
    }
  }

  /** The guide's list query: the subscription's deliveries whose run reads {@code retrying}. */
  static String retryingOf(String subscriptionId) {
    return "HeraldSubscriptionId = '" + subscriptionId + "' AND HeraldDeliveryStatus = 'retrying'";
  }

  /** Polls until the list query finds exactly {@code expected} runs. */
  void awaitCount(String query, int expected) throws InterruptedException {
    RealTemporal.await(expected + " runs of " + query, PATIENCE, () -> count(query) == expected);
  }

  /**
   * {@code temporal workflow signal --query <query> --name <signal> --reason <reason> --yes}, as
   * an operator starts a batch; returns the batch's job id.
   */
  String batchSignal(String query, String signal, String reason) {
    String printed = cli("workflow", "signal", "--query", query, "--name", signal, "--reason", reason, "--yes");
    Matcher job = BATCH_JOB.matcher(printed);
    assertThat(job.find()).as("a batch job id in %s", printed).isTrue();
    return job.group(1);
  }

  /**
   * Polls {@code temporal batch describe --job-id <job> -o json} until the batch (which the
   * server runs in the background) has completed; returns that description.
   */
  JsonNode awaitBatch(String job) throws Exception {
    JsonNode[] described = new JsonNode[1];
    RealTemporal.await("batch " + job + " completed", PATIENCE, () -> {
      try {
        described[0] = HeraldHarness.JSON.readTree(cli("batch", "describe", "--job-id", job, "-o", "json"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return described[0].path("state").asText().equals("BATCH_OPERATION_STATE_COMPLETED");
    });
    return described[0];
  }

  @Override
  public void close() {
    try {
      herald.close();
    } finally {
      server.close();
    }
  }
}
