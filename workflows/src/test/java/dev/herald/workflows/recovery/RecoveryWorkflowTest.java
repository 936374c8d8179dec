package dev.herald.workflows.recovery;

import static dev.herald.workflows.recovery.RecoveryTesting.JOB_ID;
import static dev.herald.workflows.recovery.RecoveryTesting.input;
import static dev.herald.workflows.recovery.RecoveryTesting.newWorkflow;
import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The recovery loop on a time-skipping test server, against a fake backlog of failed deliveries. */
@Timeout(30)
class RecoveryWorkflowTest {

  @RegisterExtension static final TestWorkflowExtension temporal = RecoveryTesting.extension();

  @Test
  void aBacklogOf1000IsReopenedTwentyABatchAtLeastOneSecondApartThenCompletes(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    FailedBacklog backlog = start(env, worker, new FailedBacklog(env, 1000));
    RecoveryWorkflow workflow = newWorkflow(client, worker);

    long wallStart = System.nanoTime();
    workflow.recover(RecoveryInput.of(JOB_ID, 20));
    long wallMillis = (System.nanoTime() - wallStart) / 1_000_000;

    List<FailedBacklog.Seen> seen = backlog.seen();
    assertThat(backlog.left()).isZero();
    assertThat(seen).allSatisfy(s -> assertThat(s.batch()).isEqualTo(new RecoveryBatch(JOB_ID, 20)));
    // 50 full batches, then one that finds nothing and completes the job.
    assertThat(seen).hasSize(51);
    assertThat(seen.subList(0, 50)).allSatisfy(s -> assertThat(s.result().reopened()).isEqualTo(20));
    assertThat(seen.get(50).result().status()).isEqualTo(RecoveryBatchResult.COMPLETED);
    for (int i = 0; i < seen.size() - 1; i++) {
      assertThat(backlog.gapAfter(i)).as("workflow time after batch %d", i + 1).isGreaterThanOrEqualTo(1000);
    }
    assertThat(workflow.progress())
        .isEqualTo(new RecoveryProgress(RecoveryBatchResult.COMPLETED, 1000, 1000, 0, 51));
    assertThat(currentDetails(workflow)).isEqualTo("completed: recovered 1000 of 1000 failed deliveries");
    assertThat(wallMillis).as("wall time for 50 s of recovery, in ms").isLessThan(5000);
  }

  @Test
  void anEmptyWindowCompletesAfterOneBatchWithoutWaiting(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    FailedBacklog backlog = start(env, worker, new FailedBacklog(env, 0));
    RecoveryWorkflow workflow = newWorkflow(client, worker);

    workflow.recover(RecoveryInput.of(JOB_ID, 20));

    assertThat(backlog.seen()).hasSize(1);
    assertThat(workflow.progress())
        .isEqualTo(new RecoveryProgress(RecoveryBatchResult.COMPLETED, 0, 0, 0, 1));
    List<HistoryEvent> history =
        client.fetchHistory(WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId()).getEvents();
    assertThat(history.stream().map(HistoryEvent::getEventType))
        .doesNotContain(EventType.EVENT_TYPE_TIMER_STARTED);
  }

  @Test
  void aFailedJobEndsTheWorkflowAtOnce(TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    RecoveryActivities gone =
        batch -> new RecoveryBatchResult(RecoveryBatchResult.FAILED, 40, 0, 40, 0);
    worker.registerActivitiesImplementations(gone);
    env.start();
    RecoveryWorkflow workflow = newWorkflow(client, worker);

    workflow.recover(RecoveryInput.of(JOB_ID, 20));

    assertThat(workflow.progress()).isEqualTo(new RecoveryProgress(RecoveryBatchResult.FAILED, 40, 0, 40, 1));
    assertThat(currentDetails(workflow))
        .isEqualTo("failed, the subscription was deleted: recovered 0 of 40 failed deliveries; 40 could not be reopened");
  }

  @Test
  void continuingAsNewKeepsTheProgressAndThePace(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    FailedBacklog backlog = start(env, worker, new FailedBacklog(env, 200).unreopenable(3));
    RecoveryWorkflow workflow = newWorkflow(client, worker);
    RecoveryProgress[] atFirstBatchOfSecondRun = new RecoveryProgress[1];
    backlog.beforeAnswer(call -> {
      if (call == 4) {
        atFirstBatchOfSecondRun[0] = workflow.progress();
      }
    });

    WorkflowExecution firstRun = WorkflowClient.start(workflow::recover, input(20, 3));
    WorkflowStub.fromTyped(workflow).getResult(Void.class);

    assertThat(backlog.seen()).hasSize(11);
    for (int i = 0; i < 10; i++) {
      assertThat(backlog.gapAfter(i)).as("workflow time after batch %d", i + 1).isGreaterThanOrEqualTo(1000);
    }
    assertThat(atFirstBatchOfSecondRun[0])
        .as("the new run starts from what the first one carried")
        .isEqualTo(new RecoveryProgress(RecoveryBatchResult.RUNNING, 200, 57, 3, 3));
    assertThat(workflow.progress())
        .isEqualTo(new RecoveryProgress(RecoveryBatchResult.COMPLETED, 200, 197, 3, 11));
    List<HistoryEvent> first = client.fetchHistory(firstRun.getWorkflowId(), firstRun.getRunId()).getEvents();
    assertThat(first.get(first.size() - 1).getEventType())
        .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
    assertThat(first.stream().map(HistoryEvent::getEventType))
        .filteredOn(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED::equals)
        .hasSize(3);
    assertThat(WorkflowStub.fromTyped(workflow).describe().getExecution().getRunId())
        .isNotEqualTo(firstRun.getRunId());
  }

  @Test
  void theRecoveryShowsWhereItStandsInTheTemporalUi(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    FailedBacklog backlog = new FailedBacklog(env, 120);
    RecoveryWorkflow workflow = newWorkflow(client, worker);
    String[] detailsDuringBatch3 = new String[1];
    backlog.beforeAnswer(call -> {
      if (call == 3) {
        detailsDuringBatch3[0] = currentDetails(workflow);
      }
    });
    start(env, worker, backlog);

    workflow.recover(RecoveryInput.of(JOB_ID, 20));

    assertThat(detailsDuringBatch3[0]).isEqualTo("recovered 40 of 120 failed deliveries");
    assertThat(WorkflowStub.fromTyped(workflow).describe().getStaticSummary())
        .isEqualTo("recover failed deliveries of sub_test from 2026-11-20T18:00:00Z to 2026-11-23T09:00:00Z");
  }

  private static FailedBacklog start(TestWorkflowEnvironment env, Worker worker, FailedBacklog backlog) {
    worker.registerActivitiesImplementations(backlog);
    env.start();
    return backlog;
  }

  /** What the Temporal UI shows as current details, read through the SDK's built-in query. */
  private static String currentDetails(RecoveryWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow)
        .query(WorkflowClient.QUERY_TYPE_WORKFLOW_METADATA, WorkflowMetadata.class)
        .getCurrentDetails();
  }
}
