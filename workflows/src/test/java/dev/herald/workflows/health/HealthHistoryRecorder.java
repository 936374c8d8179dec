package dev.herald.workflows.health;

import static dev.herald.workflows.health.HealthTesting.awaitTrue;
import static dev.herald.workflows.health.HealthTesting.failure;
import static dev.herald.workflows.health.HealthTesting.start;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.workflows.health.HealthTesting.Reporter;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Records the history the health replay test checks. Runs only on request, after a deliberate
 * change to the workflow's commands:
 *
 * <pre>
 * mvn -o -pl workflows verify -Dtest=HealthHistoryRecorder -Dherald.recordHistories=true
 * </pre>
 */
@Timeout(60)
@EnabledIfSystemProperty(named = "herald.recordHistories", matches = "true")
class HealthHistoryRecorder {

  static final Path STREAK_WARN_DISABLE_CONTINUE =
      Path.of("src/test/resources/histories/health-streak-warn-disable-continue.json");

  @RegisterExtension static final TestWorkflowExtension temporal = HealthTesting.extension();

  @Test
  void recordAStreakThatWarnsWaitsDisablesAndContinuesAsNew(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) throws Exception {
    OwnerDesk desk = start(env, worker);
    Reporter reporter = new Reporter(client, worker, 45);
    long first = env.currentTimeMillis();
    for (int i = 1; i <= 4; i++) {
      reporter.failed(failure("att_" + i, first + i, 503, 4, 3600));
      reporter.awaitCount(i);
    }
    awaitTrue("warned", () -> desk.notices().size() == 1);
    String firstRun = runId(reporter);

    env.sleep(Duration.ofMinutes(61));
    awaitTrue("disabled and told", () -> desk.notices().size() == 2);
    int n = 4;
    while (runId(reporter).equals(firstRun)) {
      n++;
      reporter.failed(failure("att_" + n, env.currentTimeMillis(), 503, 4, 3600));
      awaitTrue("processed", () -> reporter.state().recentAttemptIds().size() > 4);
    }

    assertThat(desk.disables()).hasSize(1);
    String json = client.fetchHistory(
            SubscriptionHealthWorkflows.workflowId(HealthTesting.SUBSCRIPTION_ID), firstRun)
        .toJson(true);
    Files.createDirectories(STREAK_WARN_DISABLE_CONTINUE.getParent());
    Files.writeString(STREAK_WARN_DISABLE_CONTINUE, json);
    System.out.println("recorded " + STREAK_WARN_DISABLE_CONTINUE.toAbsolutePath());
  }

  private static String runId(Reporter reporter) {
    return WorkflowStub.fromTyped(reporter.running()).describe().getExecution().getRunId();
  }
}
