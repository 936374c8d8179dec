package dev.herald.workflows.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Records the history the recovery replay test checks. Runs only on request, after a deliberate
 * change to the workflow's commands:
 *
 * <pre>
 * mvn -pl workflows verify -Dtest=RecoveryHistoryRecorder -Dherald.recordHistories=true
 * </pre>
 */
@Timeout(30)
@EnabledIfSystemProperty(named = "herald.recordHistories", matches = "true")
class RecoveryHistoryRecorder {

  static final Path TWO_BATCHES_THEN_CONTINUE =
      Path.of("src/test/resources/histories/recovery-two-batches-then-continue.json");

  @RegisterExtension static final TestWorkflowExtension temporal = RecoveryTesting.extension();

  @Test
  void recordTheFirstRunOfARecoveryThatContinuesAsNew(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) throws Exception {
    FailedBacklog backlog = new FailedBacklog(env, 45);
    worker.registerActivitiesImplementations(backlog);
    env.start();
    RecoveryWorkflow workflow = RecoveryTesting.newWorkflow(client, worker);

    WorkflowExecution firstRun = WorkflowClient.start(workflow::recover, RecoveryTesting.input(20, 2));
    WorkflowStub.fromTyped(workflow).getResult(Void.class);

    assertThat(backlog.left()).isZero();
    String json = client.fetchHistory(firstRun.getWorkflowId(), firstRun.getRunId()).toJson(true);
    Files.createDirectories(TWO_BATCHES_THEN_CONTINUE.getParent());
    Files.writeString(TWO_BATCHES_THEN_CONTINUE, json);
    System.out.println("recorded " + TWO_BATCHES_THEN_CONTINUE.toAbsolutePath());
  }
}
