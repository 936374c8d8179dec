package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.tenant.ApiKeys;
import dev.herald.core.tenant.Scope;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import io.dropwizard.testing.ConfigOverride;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} on the admin port, as Prometheus scrapes it, after deliveries that
 * succeed and fail through the API: Herald's own meters with their labels, the Temporal SDK's
 * and the JVM's.
 */
class MetricsEndpointTest {

  private static HeraldHarness herald;
  private static LoopbackReceiver receiver;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    herald =
        new HeraldHarness(ConfigOverride.config("telemetry.backlogRefreshSeconds", "1"));
    receiver = LoopbackReceiver.start();
  }

  @AfterAll
  static void stop() {
    receiver.close();
    herald.close();
  }

  @Test
  void deliveriesAreCountedTimedAndLabelledAndTheDashboardFindsEveryMetric() throws Exception {
    String key = herald.newTenantKey("metrics-deliveries", null, Scope.all());
    String tenantId = tenantOf(key);
    // Three succeed; the other two answer 503 and wait an hour for their retry.
    AtomicInteger answered = new AtomicInteger();
    receiver.setDefault(r ->
        ReceiverResponse.status(answered.incrementAndGet() <= 3 ? 204 : 503));
    HeraldHarness.Response sub =
        herald.call("POST", "/v1/subscriptions",
            "{\"name\":\"metrics\",\"url\":\"" + receiver.url() + "\",\"events\":[\"order.*\"],"
                + "\"retrySchedule\":[3600]}", key, "application/json");
    assertThat(sub.status()).as("%s", sub.json()).isEqualTo(201);
    for (int i = 0; i < 5; i++) {
      HeraldHarness.Response r =
          herald.call("POST", "/v1/events", "{\"type\":\"order.paid\",\"data\":{\"n\":" + i + "}}",
              key, "application/json");
      assertThat(r.status()).isEqualTo(202);
    }
    Map<String, String> tenant = Map.of("tenant", tenantId);

    PrometheusText m =
        scrapeUntil(s -> s.sum("herald_attempts_total", Map.of()) >= 5
            && s.sum("herald_deliveries_waiting", Map.of("status", "retrying")) == 2);

    assertThat(m.sum("herald_events_published_total",
            Map.of("tenant", tenantId, "type", "order.paid", "process", "api-worker")))
        .isEqualTo(5);
    assertThat(m.sum("herald_deliveries_total", tenant)).isEqualTo(5);
    assertThat(m.sum("herald_attempts_total", Map.of("outcome", "succeeded", "error", "none")))
        .isEqualTo(3);
    assertThat(m.sum("herald_attempts_total", Map.of("outcome", "failed", "error", "http_5xx")))
        .isEqualTo(2);
    assertThat(m.sum("herald_attempt_duration_seconds_count", Map.of("outcome", "succeeded")))
        .isEqualTo(3);
    assertThat(m.sum("herald_attempt_duration_seconds_bucket",
            Map.of("outcome", "failed", "le", "+Inf")))
        .isEqualTo(2);
    assertThat(m.sum("herald_publish_to_first_attempt_seconds_count", Map.of())).isEqualTo(5);
    assertThat(m.sum("herald_publish_to_success_seconds_count", Map.of())).isEqualTo(3);
    // Every first attempt of this test started within a minute of its publish.
    assertThat(m.sum("herald_publish_to_first_attempt_seconds_bucket", Map.of("le", "60.0")))
        .isEqualTo(5);
    assertThat(m.sum("herald_deliveries_waiting", Map.of("status", "retrying"))).isEqualTo(2);
    assertThat(m.sum("herald_deliveries_waiting", Map.of("status", "pending"))).isZero();
    for (PrometheusText.Sample s : m.named("herald_attempts_total")) {
      assertThat(s.labels()).as("no delivery or subscription ids as labels")
          .containsOnlyKeys("outcome", "error", "process");
    }
    aRequestTemporalRefuses(key);
    everyMetricTheGrafanaDashboardQueriesIsInTheScrape();
  }

  /**
   * The SDK makes its failure counter ({@code temporal_request_failure_total}, on the dashboard)
   * at the first request Temporal refuses: here, an operator terminates a retrying delivery's
   * workflow and the delivery is retried, so Herald's {@code retryNow} signal finds no running
   * workflow (and Herald starts a new one).
   */
  private static void aRequestTemporalRefuses(String key) throws Exception {
    HeraldHarness.Response retrying =
        herald.call("GET", "/v1/deliveries?status=retrying&limit=1", null, key, null);
    String deliveryId = retrying.json().get("data").get(0).get("id").asText();
    herald.temporalClient().newUntypedWorkflowStub("delivery-" + deliveryId)
        .terminate("an operator ended it");
    HeraldHarness.Response retried =
        herald.call("POST", "/v1/deliveries/" + deliveryId + "/retry", null, key, null);
    assertThat(retried.status()).as("%s", retried.json()).isEqualTo(202);
    Map<String, String> refusedSignal =
        Map.of("operation", "SignalWorkflowExecution", "status_code", "NOT_FOUND");
    PrometheusText m = scrapeUntil(s -> s.sum("temporal_request_failure_total", refusedSignal) >= 1);
    assertThat(m.sum("temporal_request_failure_total", refusedSignal)).isGreaterThanOrEqualTo(1);
  }

  /** Called once deliveries were made: the dashboard shows nothing the scrape lacks. */
  private static void everyMetricTheGrafanaDashboardQueriesIsInTheScrape() throws Exception {
    JsonNode dashboard =
        HeraldHarness.JSON.readTree(Path.of("..", "deploy", "grafana", "dashboards", "herald.json")
            .toFile());
    Set<String> queried = new TreeSet<>();
    Pattern metric = Pattern.compile("\\b(?:herald|temporal|jvm|process)_[a-z_]+");
    dashboard.findValues("expr").forEach(expr -> {
      Matcher m = metric.matcher(expr.asText());
      while (m.find()) {
        queried.add(m.group());
      }
    });
    assertThat(queried).hasSizeGreaterThan(15);
    PrometheusText scrape =
        scrapeUntil(s -> queried.stream().allMatch(s::has));
    assertThat(queried).as("queried by deploy/grafana/dashboards/herald.json").allMatch(scrape::has);
  }

  @Test
  void theTemporalSdkAndTheJvmReportThroughTheSameScrape() throws Exception {
    // The SDK hands its meters over every 5 s.
    PrometheusText m =
        scrapeUntil(s -> s.has("temporal_worker_task_slots_available")
            && s.has("temporal_request_total"));
    assertThat(m.has("temporal_worker_task_slots_available")).as("SDK meters in %s", m).isTrue();
    assertThat(m.has("temporal_request_total")).isTrue();
    assertThat(m.sum("temporal_worker_task_slots_available",
            Map.of("worker_type", "ActivityWorker")))
        .as("the worker's activity slots, free while nothing is attempted")
        .isGreaterThan(0);
    assertThat(m.has("jvm_memory_used_bytes")).isTrue();
  }

  @Test
  void refusedCallersAreCountedByReason() throws Exception {
    double before = scrape().sum("herald_api_auth_failures_total", Map.of("reason", "unknown_key"));
    HeraldHarness.Response r =
        herald.call("GET", "/v1/subscriptions", null, "hrk_not_a_key", null);
    assertThat(r.status()).isEqualTo(401);
    String readOnly = herald.newTenantKey("metrics-scope", null, Set.of(Scope.WEBHOOKS_READ));
    assertThat(herald.call("POST", "/v1/events", "{\"type\":\"x.y\",\"data\":{}}", readOnly,
            "application/json").status()).isEqualTo(403);

    PrometheusText m = scrape();
    assertThat(m.sum("herald_api_auth_failures_total", Map.of("reason", "unknown_key")))
        .isEqualTo(before + 1);
    assertThat(m.sum("herald_api_auth_failures_total", Map.of("reason", "insufficient_scope")))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void theScrapeIsPrometheusTextOrOpenMetricsWhenAskedFor() throws Exception {
    HttpResponse<String> text = get(null);
    assertThat(text.statusCode()).isEqualTo(200);
    assertThat(text.headers().firstValue("content-type").orElseThrow())
        .startsWith("text/plain; version=0.0.4");
    HttpResponse<String> open = get("application/openmetrics-text; version=1.0.0");
    assertThat(open.headers().firstValue("content-type").orElseThrow())
        .startsWith("application/openmetrics-text");
    assertThat(open.body().strip()).endsWith("# EOF");
    // Dropwizard's own metrics stay in JSON beside it.
    HttpResponse<String> json =
        http.send(HttpRequest.newBuilder(adminUri("/metrics-json")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.body()).contains("\"gauges\"");
  }

  private static String tenantOf(String key) {
    return herald.database.jdbi().withHandle(h -> h.createQuery(
            "SELECT tenant_id FROM api_keys WHERE key_hash = :hash")
        .bind("hash", ApiKeys.hash(key))
        .mapTo(String.class).one());
  }

  private static PrometheusText scrapeUntil(Predicate<PrometheusText> condition) throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    PrometheusText last = scrape();
    while (!condition.test(last)) {
      if (Instant.now().isAfter(deadline)) {
        return last;
      }
      Thread.sleep(200);
      last = scrape();
    }
    return last;
  }

  private static PrometheusText scrape() throws Exception {
    HttpResponse<String> r = get(null);
    assertThat(r.statusCode()).isEqualTo(200);
    return new PrometheusText(r.body());
  }

  private static HttpResponse<String> get(String accept) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(adminUri("/metrics"));
    if (accept != null) {
      request.header("Accept", accept);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI adminUri(String path) {
    return URI.create("http://127.0.0.1:" + herald.app.getAdminPort() + path);
  }
}
