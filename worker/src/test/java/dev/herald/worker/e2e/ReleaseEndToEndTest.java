package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.api.temporal.Handoff;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import dev.herald.testing.receiver.RecordedRequest;
import dev.herald.workflows.release.ReleaseProgress;
import dev.herald.workflows.release.ReleaseWorkflow;
import dev.herald.workflows.release.ReleaseWorkflows;
import io.dropwizard.testing.ConfigOverride;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Held deliveries go out again once their subscription is deliverable: through the release
 * starter the API calls on unpause, and through the sweeper when no release was started. Pausing
 * and unpausing are done in PostgreSQL here; the HTTP round trip belongs to the PATCH tests.
 */
class ReleaseEndToEndTest {

  private static HeraldHarness herald;
  private static WorkflowServiceStubs temporalService;
  private static WorkflowClient temporal;
  private LoopbackReceiver receiver;

  @BeforeAll
  static void start() throws Exception {
    // Ten a second, for the sweeper's releases too: whoever starts the release, the pace is known.
    herald = new HeraldHarness(ConfigOverride.config("delivery.releaseRatePerSecond", "10"));
    temporalService =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(herald.temporal.address())
                .build());
    temporal = WorkflowClient.newInstance(temporalService);
  }

  @AfterAll
  static void stop() {
    temporalService.shutdown();
    herald.close();
  }

  @BeforeEach
  void receiver() {
    receiver = LoopbackReceiver.start();
    receiver.setDefault(ReceiverResponse.status(204));
  }

  @AfterEach
  void closeReceiver() {
    receiver.close();
  }

  @Test
  void heldDeliveriesAreReleasedOnResumeAtTheConfiguredRate() throws Exception {
    String subscriptionId = subscribe("held.resume");
    setPaused(subscriptionId, true);
    List<String> deliveryIds = publish("held.resume", 25);
    for (String id : deliveryIds) {
      assertThat(herald.call("GET", "/v1/deliveries/" + id, null).json().get("status").asText())
          .isEqualTo("held");
    }
    assertThat(receiver.requests()).isEmpty();

    setPaused(subscriptionId, false);
    Instant resumed = Instant.now();
    assertThat(new Handoff(temporal, 1, 10, 10, Clock.systemUTC()).release(subscriptionId)).isTrue();

    List<RecordedRequest> arrived = receiver.awaitRequests(25, Duration.ofSeconds(30));
    assertThat(arrived).extracting(r -> r.header("herald-delivery-id"))
        .containsExactlyInAnyOrderElementsOf(deliveryIds);
    assertThat(arrived).allSatisfy(r -> assertThat(r.header("herald-attempt")).isEqualTo("1"));
    // Ten a second: the third batch starts at least two seconds after the first.
    assertThat(Duration.between(resumed, arrived.get(24).arrivedAt()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    for (String id : deliveryIds) {
      herald.awaitJson("/v1/deliveries/" + id,
          d -> d.get("status").asText().equals("succeeded"), Duration.ofSeconds(10));
    }
    ReleaseWorkflow release =
        temporal.newWorkflowStub(ReleaseWorkflow.class, ReleaseWorkflows.workflowId(subscriptionId));
    WorkflowStub.fromTyped(release).getResult(10, TimeUnit.SECONDS, Void.class);
    ReleaseProgress progress = release.progress();
    assertThat(progress.state()).isEqualTo(ReleaseProgress.DONE);
    assertThat(progress.released()).isEqualTo(25);
    // 10, 10, 5, then an empty look; the sweeper may ask for one more look while it runs.
    assertThat(progress.batches()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void theSweeperReleasesHeldDeliveriesThatNoReleaseMoved() throws Exception {
    String subscriptionId = subscribe("held.stranded");
    setPaused(subscriptionId, true);
    List<String> deliveryIds = publish("held.stranded", 3);
    // Unpaused without a release, as when Temporal was unreachable at that moment.
    setPaused(subscriptionId, false);

    List<RecordedRequest> arrived = receiver.awaitRequests(3, Duration.ofSeconds(30));

    assertThat(arrived).extracting(r -> r.header("herald-delivery-id"))
        .containsExactlyInAnyOrderElementsOf(deliveryIds);
    for (String id : deliveryIds) {
      herald.awaitJson("/v1/deliveries/" + id,
          d -> d.get("status").asText().equals("succeeded"), Duration.ofSeconds(10));
    }
  }

  private String subscribe(String type) throws Exception {
    var r = herald.call("POST", "/v1/subscriptions",
        "{\"name\":\"" + type + "\",\"url\":\"" + receiver.url() + "\",\"events\":[\"" + type
            + "\"]}");
    assertThat(r.status()).isEqualTo(201);
    return r.json().get("id").asText();
  }

  private List<String> publish(String type, int count) throws Exception {
    List<String> deliveryIds = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      var published = herald.call("POST", "/v1/events", "{\"type\":\"" + type + "\",\"data\":{}}");
      assertThat(published.status()).isEqualTo(202);
      JsonNode event = herald.call("GET", "/v1/events/" + published.json().get("id").asText(), null).json();
      event.get("deliveries").forEach(d -> deliveryIds.add(d.get("id").asText()));
    }
    return deliveryIds;
  }

  private static void setPaused(String subscriptionId, boolean paused) {
    herald.database.jdbi().useHandle(h -> h.execute(
        "UPDATE subscriptions SET is_paused = ?, updated_at = now() WHERE id = ?", paused, subscriptionId));
  }
}
