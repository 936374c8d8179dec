package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.tenant.Scope;
import dev.herald.testing.receiver.ReceiverResponse;
import dev.herald.worker.e2e.HeraldHarness.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /v1/subscriptions/{id}/stats} over attempts really made to a loopback endpoint. */
class SubscriptionStatsEndToEndTest {

  @RegisterExtension static final ReceivingTenant tenant = new ReceivingTenant("stats");

  @Test
  void statsCountTheAttemptsTheirOutcomesAndTheFailuresByCode() throws Exception {
    // Two of five requests answer 503; with no retries, each delivery makes one attempt.
    tenant.receiver().enqueue(ReceiverResponse.status(503));
    tenant.receiver().enqueue(ReceiverResponse.status(503));
    String id = subscribe("stats.paid");
    for (int i = 0; i < 5; i++) {
      Response published = tenant.call("POST", "/v1/events",
          "{\"id\":\"evt_stats_" + i + "\",\"type\":\"stats.paid\",\"data\":{\"n\":" + i + "}}");
      assertThat(published.status()).isEqualTo(202);
    }

    JsonNode stats = tenant.herald().awaitJson("/v1/subscriptions/" + id + "/stats",
        s -> s.get("attempts").asLong() == 5, Duration.ofSeconds(30), tenant.key());

    assertThat(stats.get("subscriptionId").asText()).isEqualTo(id);
    assertThat(stats.get("window").asText()).as("the default window").isEqualTo("24h");
    Instant from = Instant.parse(stats.get("from").asText());
    Instant to = Instant.parse(stats.get("to").asText());
    assertThat(Duration.between(from, to)).isBetween(Duration.ofHours(24).minusMinutes(5),
        Duration.ofHours(24));
    assertThat(stats.get("succeeded").asLong()).isEqualTo(3);
    assertThat(stats.get("failed").asLong()).isEqualTo(2);
    assertThat(stats.get("successRate").asDouble()).isEqualTo(0.6);
    assertThat(HeraldHarness.JSON.convertValue(stats.get("errors"), Map.class))
        .isEqualTo(Map.of("http_503", 2));
    JsonNode latency = stats.get("latencyMs");
    for (String field : new String[] {"p50", "p95", "p99", "mean", "max"}) {
      assertThat(latency.get(field).isIntegralNumber()).as(field).isTrue();
      assertThat(latency.get(field).asLong()).as(field).isBetween(0L, 30_000L);
    }
    assertThat(latency.get("p50").asLong()).isLessThanOrEqualTo(latency.get("max").asLong());

    JsonNode hour = tenant.call("GET", "/v1/subscriptions/" + id + "/stats?window=1h", null).json();
    assertThat(hour.get("window").asText()).isEqualTo("1h");
    assertThat(hour.get("attempts").asLong()).isEqualTo(5);
    assertThat(Duration.between(Instant.parse(hour.get("from").asText()),
        Instant.parse(hour.get("to").asText()))).isBetween(Duration.ofMinutes(55), Duration.ofHours(1));
  }

  @Test
  void aSubscriptionWithoutAttemptsHasZeroCountsAndNullRates() throws Exception {
    String id = subscribe("stats.quiet");

    Response r = tenant.call("GET", "/v1/subscriptions/" + id + "/stats?window=7d", null);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("attempts").asLong()).isZero();
    assertThat(r.json().get("successRate").isNull()).isTrue();
    assertThat(r.json().get("latencyMs").get("p99").isNull()).isTrue();
    assertThat(r.json().get("errors").isEmpty()).isTrue();
  }

  @Test
  void aWindowNotOfferedIsRefusedNamingTheAcceptedOnes() throws Exception {
    String id = subscribe("stats.window");

    Response r = tenant.call("GET", "/v1/subscriptions/" + id + "/stats?window=2h", null);

    assertThat(r.status()).isEqualTo(422);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("code").asText()).isEqualTo("invalid_request");
    assertThat(r.json().get("errors").get(0).get("parameter").asText()).isEqualTo("window");
    assertThat(r.json().get("detail").asText()).contains("1h, 24h, 7d");
  }

  @Test
  void anotherTenantsSubscriptionIsNotFound() throws Exception {
    String id = subscribe("stats.private");
    String other = tenant.herald().newTenantKey("stats-other", null, Scope.all());

    Response r = tenant.herald().call("GET", "/v1/subscriptions/" + id + "/stats", null, other, null);

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("code").asText()).isEqualTo("not_found");
  }

  private String subscribe(String type) throws Exception {
    Response r = tenant.call("POST", "/v1/subscriptions", "{\"name\":\"stats\",\"url\":\""
        + tenant.receiver().url() + "\",\"events\":[\"" + type + "\"],\"retrySchedule\":[]}");
    assertThat(r.status()).as("create subscription: %s", r.json()).isEqualTo(201);
    return r.json().get("id").asText();
  }
}
