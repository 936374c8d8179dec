package dev.herald.worker.e2e;

import static dev.herald.worker.e2e.RealHerald.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The health workflow continues as new when Temporal suggests it (by default at 4,096 history
 * events, before its own limit of 5,000; here the server is told 5, so that even reports that
 * arrive together in one workflow task make it) and carries its count into the new run: many
 * failing deliveries through the public API, read back through the {@code temporal} command
 * line.
 */
class HealthContinueAsNewIT {

  /** Told to the workflow at 4, 8 and 16 (the thresholds of a 1,000-failure limit): 3 reports. */
  private static final int FAILURES = 16;

  @TempDir Path directory;

  @Test
  void theFailureCountIsCarriedIntoTheNewRunAndTheNewRunTakesFurtherReports() throws Exception {
    try (RealHerald herald =
            RealHerald.start(directory, Map.of("limit.historyCount.suggestContinueAsNew", "5"));
        LoopbackReceiver receiver = LoopbackReceiver.start()) {
      receiver.setDefault(ReceiverResponse.status(503));
      String key = herald.newTenant("health");
      String sub = herald.subscribe(key, receiver.url(),
          "\"retrySchedule\":[600],\"disableAfter\":{\"failures\":1000,\"seconds\":86400}");
      for (int i = 0; i < FAILURES; i++) {
        herald.publish(key);
      }
      String workflowId = "subscription-health-" + sub;
      String runs = "WorkflowId = '" + workflowId + "'";

      JsonNode state = awaitState(herald, workflowId, FAILURES);
      assertThat(herald.get(key, "/v1/subscriptions/" + sub).get("consecutiveFailures").asInt()).isEqualTo(FAILURES);
      RealTemporal.await("a run ContinuedAsNew", PATIENCE,
          () -> herald.count(runs + " AND ExecutionStatus = 'ContinuedAsNew'") > 0);
      herald.awaitCount(runs + " AND ExecutionStatus = 'Running'", 1);
      long signalsInThisRun = herald.cli("workflow", "show", "--workflow-id", workflowId).lines()
          .filter(line -> line.contains("WorkflowExecutionSignaled")).count();
      assertThat(signalsInThisRun).as("the running run counts reports of earlier runs").isLessThan(FAILURES);
      // Temporal carries no summary into a continued run; the guide says so.
      assertThat(herald.cli("workflow", "describe", "--workflow-id", workflowId)).doesNotContain("health of");
      assertThat(state.get("recentAttemptIds")).as("the reports told, carried across runs").hasSize(3);
      assertThat(state.get("lastError").asText()).isEqualTo("HTTP 503");
      assertThat(state.get("streakStartedAtMillis").isNull()).isFalse();
      assertThat(state.get("disabled").asBoolean()).isFalse();
      assertThat(herald.get(key, "/v1/subscriptions/" + sub).get("isActive").asBoolean()).isTrue();

      receiver.setDefault(ReceiverResponse.status(204));
      herald.awaitStatus(key, herald.publish(key).get(0), "succeeded");

      JsonNode healthy = awaitState(herald, workflowId, 0);
      assertThat(healthy.get("streakStartedAtMillis").isNull()).isTrue();
      assertThat(herald.get(key, "/v1/subscriptions/" + sub).get("consecutiveFailures").asInt()).isZero();
    }
  }

  /** Polls {@code temporal workflow query --name state} until it counts {@code failures}. */
  private static JsonNode awaitState(RealHerald herald, String workflowId, int failures) throws InterruptedException {
    JsonNode[] state = new JsonNode[1];
    RealTemporal.await(workflowId + " at " + failures + " failures", PATIENCE, () -> {
      state[0] = herald.query(workflowId, "state");
      return state[0] != null && state[0].path("consecutiveFailures").asInt(-1) == failures;
    });
    return state[0];
  }
}
