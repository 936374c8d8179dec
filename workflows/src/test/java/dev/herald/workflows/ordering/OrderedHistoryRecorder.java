package dev.herald.workflows.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Records the history the sequencer's replay test checks. Runs only on request, after a
 * deliberate change to the workflow's commands:
 *
 * <pre>
 * mvn -o -pl model,workflows test -Dtest=OrderedHistoryRecorder -Dherald.recordHistories=true
 * </pre>
 */
@Timeout(30)
@EnabledIfSystemProperty(named = "herald.recordHistories", matches = "true")
class OrderedHistoryRecorder {

  static final Path TWO_DELIVERIES_THEN_CONTINUE =
      Path.of("src/test/resources/histories/ordered-two-deliveries-then-continue.json");

  @RegisterExtension static final TestWorkflowExtension temporal = OrderedTesting.extension();

  @Test
  void recordTheFirstRunOfAKeyThatContinuesAsNew(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) throws Exception {
    KeyBacklog backlog = new KeyBacklog(env, List.of(1, 1));
    backlog.add(1).add(2).add(3);
    backlog.succeedsWhen((id, n) -> !(id.equals("dlv_1") && n == 1));
    worker.registerActivitiesImplementations(backlog);
    env.start();

    OrderedInput input = new OrderedInput(KeyBacklog.TENANT_ID, KeyBacklog.SUBSCRIPTION_ID,
        KeyBacklog.KEY, 2, OrderedInput.DEFAULT_HISTORY_LIMIT, 0);
    WorkflowExecution firstRun = OrderedTesting.wake(client, worker, input);
    client.newUntypedWorkflowStub(firstRun.getWorkflowId()).getResult(Void.class);

    assertThat(backlog.firstAttempts()).containsExactly("dlv_1", "dlv_2", "dlv_3");
    String json = client.fetchHistory(firstRun.getWorkflowId(), firstRun.getRunId()).toJson(true);
    Files.createDirectories(TWO_DELIVERIES_THEN_CONTINUE.getParent());
    Files.writeString(TWO_DELIVERIES_THEN_CONTINUE, json);
    System.out.println("recorded " + TWO_DELIVERIES_THEN_CONTINUE.toAbsolutePath());
  }
}
