package dev.herald.workflows.batch;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Records the histories the batching replay test checks. Runs only on request, after a
 * deliberate change to the workflows' commands:
 *
 * <pre>
 * mvn -o -pl workflows verify -Dtest=BatchHistoryRecorder -Dherald.recordHistories=true
 * </pre>
 */
@Timeout(60)
@EnabledIfSystemProperty(named = "herald.recordHistories", matches = "true")
class BatchHistoryRecorder {

  static final Path BATCHER = Path.of("src/test/resources/histories/batcher-count-then-time-then-idle.json");
  static final Path BATCH = Path.of("src/test/resources/histories/batch-retry-then-success.json");

  @RegisterExtension static final TestWorkflowExtension temporal = BatchTesting.extension();

  @Test
  void recordABatcherAndABatchThatIsRetried(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) throws Exception {
    GatheringStore store = new GatheringStore(env, 3, 60, 1_048_576, List.of(5, 300));
    store.answer(n -> n == 1 ? 503 : 204);
    worker.registerActivitiesImplementations(store);
    env.start();
    store.publish(4, 100);
    BatchTesting.wake(client, worker);

    String batcherId = BatchWorkflows.batcherId(BatchTesting.SUBSCRIPTION_ID);
    client.newUntypedWorkflowStub(batcherId).getResult(Void.class);
    String firstBatch = BatchWorkflows.batchId(store.sent().get(0).batchId());
    client.newUntypedWorkflowStub(firstBatch).getResult(Void.class);

    assertThat(store.batches()).hasSize(2);
    Files.createDirectories(BATCHER.getParent());
    Files.writeString(BATCHER, client.fetchHistory(batcherId).toJson(true));
    Files.writeString(BATCH, client.fetchHistory(firstBatch).toJson(true));
    System.out.println("recorded " + BATCHER.toAbsolutePath() + " and " + BATCH.toAbsolutePath());
  }
}
