package dev.herald.workflows.retention;

import io.temporal.api.common.v1.WorkflowExecution;
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
 * Records the history the retention replay test checks. Runs only on request, after a deliberate
 * change to the workflow's commands:
 *
 * <pre>
 * mvn -o -pl model,workflows test -Dtest=RetentionHistoryRecorder -Dherald.recordHistories=true
 * </pre>
 */
@Timeout(30)
@EnabledIfSystemProperty(named = "herald.recordHistories", matches = "true")
class RetentionHistoryRecorder {

  static final Path FULL_FULL_SHORT_THEN_CONTINUE =
      Path.of("src/test/resources/histories/retention-full-full-short-then-continue.json");

  @RegisterExtension static final TestWorkflowExtension temporal = RetentionTesting.extension();

  @Test
  void recordTheFirstRunOfARetentionThatContinuesAsNew(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) throws Exception {
    worker.registerActivitiesImplementations(new AgedBacklog(env, 1000, 2500));
    env.start();
    RetentionWorkflow workflow = RetentionTesting.newWorkflow(client, worker);

    WorkflowExecution firstRun =
        WorkflowClient.start(workflow::run, new RetentionInput(500, 3_600_000, 3, null));
    env.sleep(Duration.ofMinutes(90));

    String json = client.fetchHistory(firstRun.getWorkflowId(), firstRun.getRunId()).toJson(true);
    WorkflowStub.fromTyped(workflow).terminate("recorded");
    Files.createDirectories(FULL_FULL_SHORT_THEN_CONTINUE.getParent());
    Files.writeString(FULL_FULL_SHORT_THEN_CONTINUE, json);
    System.out.println("recorded " + FULL_FULL_SHORT_THEN_CONTINUE.toAbsolutePath());
  }
}
