package dev.herald.worker.e2e;

import dev.herald.core.crypto.SecretCipher;
import dev.herald.core.crypto.SecretKeyRing;
import static dev.herald.worker.e2e.ApiContractTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.api.views.MillisecondInstants;
import dev.herald.core.delivery.DeliveryDao;
import dev.herald.core.ids.Ids;
import dev.herald.core.job.JobDao;
import dev.herald.core.job.RecoveryRequest;
import dev.herald.core.subscription.SubscriptionDao;
import dev.herald.core.tenant.Scope;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import dev.herald.testing.receiver.RecordedRequest;
import dev.herald.worker.e2e.HeraldHarness.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Recovering a subscription's failed deliveries through HTTP: an endpoint that was down, fixed,
 * then recovered with one call, watched through {@code GET /v1/jobs/{id}}.
 */
class RecoveryEndToEndTest {

  private static HeraldHarness herald;
  private LoopbackReceiver receiver;

  @BeforeAll
  static void start() throws Exception {
    herald = new HeraldHarness();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @BeforeEach
  void receiver() {
    receiver = LoopbackReceiver.start();
  }

  @AfterEach
  void closeReceiver() {
    receiver.close();
  }

  @Test
  void recoveringThirtyFailedDeliveriesReachesThirtyOnTheReceiverAndTheJobReportsThirty()
      throws Exception {
    int n = 30;
    receiver.setDefault(ReceiverResponse.status(500));
    Instant since = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
    String subscriptionId = subscribe("recover.down", "[1]");
    List<String> deliveryIds = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Response published = herald.call("POST", "/v1/events",
          "{\"id\":\"evt_recover_" + i + "\",\"type\":\"recover.down\",\"data\":{\"n\":" + i + "}}");
      assertThat(published.status()).isEqualTo(202);
      deliveryIds.add(herald.call("GET", "/v1/events/evt_recover_" + i, null).json()
          .get("deliveries").get(0).get("id").asText());
    }
    awaitStatus(subscriptionId, "failed", n);
    assertThat(receiver.requests()).hasSize(2 * n);
    receiver.setDefault(ReceiverResponse.status(204));
    Instant until = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
    String window = "{\"since\":\"" + since + "\",\"until\":\"" + until + "\"}";

    Response accepted = herald.call("POST", "/v1/subscriptions/" + subscriptionId + "/recover", window);
    Response again = herald.call("POST", "/v1/subscriptions/" + subscriptionId + "/recover", window);

    assertThat(accepted.status()).isEqualTo(202);
    String jobId = accepted.json().get("jobId").asText();
    assertThat(jobId).startsWith("job_");
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.json().get("jobId").asText()).as("the running job of the same window").isEqualTo(jobId);
    JsonNode job = herald.awaitJson("/v1/jobs/" + jobId,
        j -> !j.get("status").asText().equals("running"), Duration.ofSeconds(30));
    assertThat(job.get("id").asText()).isEqualTo(jobId);
    assertThat(job.get("type").asText()).isEqualTo("recover");
    assertThat(job.get("subscriptionId").asText()).isEqualTo(subscriptionId);
    // Times are shown with exactly three fraction digits, whole seconds too.
    assertThat(job.get("since").asText()).isEqualTo(MillisecondInstants.format(since));
    assertThat(job.get("until").asText()).isEqualTo(MillisecondInstants.format(until));
    assertThat(job.get("status").asText()).isEqualTo("completed");
    assertThat(job.get("total").asInt()).isEqualTo(n);
    assertThat(job.get("done").asInt()).isEqualTo(n);
    assertThat(job.get("failed").asInt()).isZero();
    assertThat(job.get("createdAt").isNull()).isFalse();
    assertThat(job.get("completedAt").isNull()).isFalse();

    awaitStatus(subscriptionId, "succeeded", n);
    List<RecordedRequest> all = receiver.requests();
    List<RecordedRequest> recovered = all.subList(2 * n, all.size());
    assertThat(all).as("exactly one new request per failed delivery").hasSize(3 * n);
    assertThat(recovered).allSatisfy(r -> assertThat(r.header("herald-attempt")).isEqualTo("3"));
    Set<String> recoveredIds = new HashSet<>();
    recovered.forEach(r -> recoveredIds.add(r.header("herald-delivery-id")));
    assertThat(recoveredIds).containsExactlyInAnyOrderElementsOf(deliveryIds);
    JsonNode one = herald.call("GET", "/v1/deliveries/" + deliveryIds.get(0), null).json();
    assertThat(one.get("status").asText()).isEqualTo("succeeded");
    assertThat(one.get("attemptCount").asInt()).isEqualTo(3);
  }

  @Test
  void anotherTenantCannotRecoverTheSubscriptionNorReadTheJob() throws Exception {
    String subscriptionId = subscribe("recover.private", "[1]");
    String window = "{\"since\":\"2026-01-01T00:00:00Z\",\"until\":\"2026-01-02T00:00:00Z\"}";
    String jobId = herald.call("POST", "/v1/subscriptions/" + subscriptionId + "/recover", window)
        .json().get("jobId").asText();
    String stranger = herald.newTenantKey("stranger", null, Scope.all());

    assertProblem(herald.call("POST", "/v1/subscriptions/" + subscriptionId + "/recover", window,
        stranger, "application/json"), 404, "not_found");
    assertProblem(herald.call("GET", "/v1/jobs/" + jobId, null, stranger, null), 404, "not_found");
    assertProblem(herald.call("GET", "/v1/jobs/job_nope", null), 404, "not_found");
    assertProblem(herald.call("POST", "/v1/subscriptions/sub_nope/recover", window), 404, "not_found");
    JsonNode job = herald.awaitJson("/v1/jobs/" + jobId,
        j -> j.get("status").asText().equals("completed"), Duration.ofSeconds(10));
    assertThat(job.get("total").asInt()).as("an empty window").isZero();
  }

  @Test
  void badWindowsAreRefusedWithPointers() throws Exception {
    String path = "/v1/subscriptions/" + subscribe("recover.bad", "[1]") + "/recover";

    assertInvalid(herald.call("POST", path, "{}"), "/since");
    assertInvalid(herald.call("POST", path, null), "/since");
    assertInvalid(herald.call("POST", path, "{\"since\":\"yesterday\"}"), "/since");
    assertInvalid(herald.call("POST", path, "{\"since\":\"2026-01-01T00:00:00\"}"), "/since");
    assertInvalid(herald.call("POST", path, "{\"since\":\"2026-01-01T00:00:00Z\",\"until\":7}"), "/until");
    assertInvalid(herald.call("POST", path,
        "{\"since\":\"2026-01-02T00:00:00Z\",\"until\":\"2026-01-01T00:00:00Z\"}"), "/since");
    assertInvalid(herald.call("POST", path,
        "{\"since\":\"2026-01-01T00:00:00Z\",\"until\":\"2026-01-01T00:00:00Z\"}"), "/since");
    assertInvalid(herald.call("POST", path,
        "{\"since\":\"2026-01-01T00:00:00Z\",\"until\":\"2026-02-01T00:00:00Z\"}"), "/since");
    assertInvalid(herald.call("POST", path, "{\"since\":\"" + Instant.now().plusSeconds(3600) + "\"}"), "/since");
    assertInvalid(herald.call("POST", path, "{\"since\":\"" + Instant.now().minus(Duration.ofDays(31)) + "\"}"),
        "/since");
    assertInvalid(herald.call("POST", path,
        "{\"since\":\"" + Instant.now().minusSeconds(60) + "\",\"status\":\"failed\"}"), "/status");
    // An offset other than Z is an RFC 3339 time too; exactly 30 days is allowed.
    assertThat(herald.call("POST", path,
        "{\"since\":\"2026-01-01T01:00:00+01:00\",\"until\":\"2026-01-31T00:00:00Z\"}").status()).isEqualTo(202);
  }

  @Test
  void aJobWhoseWorkflowNeverStartedIsStartedByTheSweeper() throws Exception {
    receiver.setDefault(ReceiverResponse.status(500));
    String subscriptionId = subscribe("recover.stranded", "[1]");
    herald.call("POST", "/v1/events", "{\"id\":\"evt_stranded\",\"type\":\"recover.stranded\",\"data\":{}}");
    awaitStatus(subscriptionId, "failed", 1);
    receiver.setDefault(ReceiverResponse.status(204));
    var jdbi = herald.database.jdbi();
    Clock clock = Clock.systemUTC();
    JobDao jobs = new JobDao(jdbi, new DeliveryDao(jdbi, new SubscriptionDao(jdbi, HeraldHarness.JSON, new SecretCipher(SecretKeyRing.parse(HeraldHarness.SECRET_KEY, null)))),
        new Ids(clock));
    String tenantId = jdbi.withHandle(h -> h.createQuery("SELECT tenant_id FROM subscriptions WHERE id = :s")
        .bind("s", subscriptionId).mapTo(String.class).one());
    // Committed as the API commits it, a minute ago, and no workflow started: the API died.
    Instant aMinuteAgo = Instant.now().minusSeconds(60);
    String jobId = jobs.createRecovery(
            new RecoveryRequest(tenantId, subscriptionId, aMinuteAgo.minusSeconds(3600), Instant.now().plusSeconds(5)),
            aMinuteAgo)
        .orElseThrow().job().id();

    JsonNode job = herald.awaitJson("/v1/jobs/" + jobId,
        j -> j.get("status").asText().equals("completed"), Duration.ofSeconds(30));

    assertThat(job.get("total").asInt()).isEqualTo(1);
    assertThat(job.get("done").asInt()).isEqualTo(1);
    awaitStatus(subscriptionId, "succeeded", 1);
    assertThat(receiver.requests()).hasSize(3);
  }

  private static void assertInvalid(Response r, String pointer) {
    assertProblem(r, 422, "invalid_request");
    assertThat(StreamSupport.stream(r.json().get("errors").spliterator(), false)
            .map(e -> e.get("pointer").asText()))
        .as("%s", r.json())
        .containsExactly(pointer);
  }

  private String subscribe(String type, String retrySchedule) throws Exception {
    Response created = herald.call("POST", "/v1/subscriptions",
        "{\"name\":\"" + type + "\",\"url\":\"" + receiver.url() + "\",\"events\":[\"" + type + "\"],"
            + "\"retrySchedule\":" + retrySchedule + "}");
    assertThat(created.status()).as("%s", created.json()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  /** Polls the subscription's deliveries until {@code count} have the status. */
  private static void awaitStatus(String subscriptionId, String status, int count) throws Exception {
    herald.awaitJson("/v1/deliveries?subscriptionId=" + subscriptionId + "&status=" + status + "&limit=100",
        page -> page.get("data").size() == count, Duration.ofSeconds(60));
  }
}
