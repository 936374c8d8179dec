package dev.herald.workflows.release;

import static dev.herald.workflows.release.ReleaseTesting.SUBSCRIPTION_ID;
import static dev.herald.workflows.release.ReleaseTesting.input;
import static dev.herald.workflows.release.ReleaseTesting.newWorkflow;
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

/** The release loop on a time-skipping test server, against a fake backlog of held deliveries. */
@Timeout(30)
class ReleaseWorkflowTest {

  @RegisterExtension static final TestWorkflowExtension temporal = ReleaseTesting.extension();

  @Test
  void aBacklogOf3000IsReleasedTwentyABatchAtLeastOneSecondApart(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    HeldBacklog backlog = start(env, worker, new HeldBacklog(env, 3000));
    ReleaseWorkflow workflow = newWorkflow(client, worker);

    long wallStart = System.nanoTime();
    workflow.release(ReleaseInput.of(SUBSCRIPTION_ID, 20));
    long wallMillis = (System.nanoTime() - wallStart) / 1_000_000;

    List<HeldBacklog.Seen> seen = backlog.seen();
    System.out.printf(
        "release of 3000: %d batches over %d s of workflow time in %d ms of wall time%n",
        seen.size(), (seen.get(seen.size() - 1).atMillis() - seen.get(0).atMillis()) / 1000,
        wallMillis);
    assertThat(backlog.held()).isZero();
    assertThat(seen).allSatisfy(s -> assertThat(s.batch().limit()).isEqualTo(20));
    assertThat(seen).allSatisfy(s -> assertThat(s.batch().subscriptionId()).isEqualTo(SUBSCRIPTION_ID));
    // 150 full batches, then one that finds nothing and ends the release.
    assertThat(seen).hasSize(151);
    assertThat(seen.subList(0, 150)).allSatisfy(s -> assertThat(s.result().released()).isEqualTo(20));
    assertThat(seen.get(150).result().released()).isZero();
    for (int i = 0; i < seen.size() - 1; i++) {
      assertThat(backlog.gapAfter(i)).as("workflow time after batch %d", i + 1).isGreaterThanOrEqualTo(1000);
    }
    assertThat(workflow.progress())
        .isEqualTo(new ReleaseProgress(ReleaseProgress.DONE, 3000, 151, 0));
    assertThat(currentDetails(workflow)).isEqualTo("done: released 3000 held deliveries in 151 batches");
    assertThat(wallMillis).as("wall time for 150 s of release, in ms").isLessThan(5000);
  }

  @Test
  void theReleaseStopsWhenTheSubscriptionIsNoLongerDeliverable(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    HeldBacklog backlog = new HeldBacklog(env, 100);
    backlog.beforeAnswer(call -> {
      if (call == 2) {
        backlog.pause();
      }
    });
    start(env, worker, backlog);
    ReleaseWorkflow workflow = newWorkflow(client, worker);

    workflow.release(ReleaseInput.of(SUBSCRIPTION_ID, 20));

    assertThat(backlog.seen()).hasSize(3);
    assertThat(backlog.seen().get(2).result()).isEqualTo(ReleaseBatchResult.notDeliverable());
    assertThat(backlog.held()).as("the rest stay held").isEqualTo(60);
    assertThat(workflow.progress())
        .isEqualTo(new ReleaseProgress(ReleaseProgress.STOPPED, 40, 3, 0));
    assertThat(currentDetails(workflow)).startsWith("stopped: ");
  }

  @Test
  void aReleaseAgainSignalDuringAnEmptyBatchMakesItLookOnceMore(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    HeldBacklog backlog = new HeldBacklog(env, 20);
    ReleaseWorkflow workflow = newWorkflow(client, worker);
    backlog.beforeAnswer(call -> {
      if (call == 2) {
        // Deliveries held after this batch looked, and the subscription resumed once more.
        backlog.add(5);
        client.newWorkflowStub(ReleaseWorkflow.class, ReleaseWorkflows.workflowId(SUBSCRIPTION_ID))
            .releaseAgain();
      }
    });
    start(env, worker, backlog);

    workflow.release(ReleaseInput.of(SUBSCRIPTION_ID, 20));

    assertThat(backlog.seen())
        .extracting(s -> s.result().released())
        .containsExactly(20, 0, 5, 0);
    assertThat(backlog.held()).isZero();
    assertThat(workflow.progress()).isEqualTo(new ReleaseProgress(ReleaseProgress.DONE, 25, 4, 0));
  }

  @Test
  void withoutASignalAnEmptyBatchEndsTheReleaseAndLaterHoldsWait(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    HeldBacklog backlog = new HeldBacklog(env, 20);
    backlog.beforeAnswer(call -> {
      if (call == 2) {
        backlog.add(5);
      }
    });
    start(env, worker, backlog);

    newWorkflow(client, worker).release(ReleaseInput.of(SUBSCRIPTION_ID, 20));

    assertThat(backlog.seen()).extracting(s -> s.result().released()).containsExactly(20, 0);
    assertThat(backlog.held()).as("left for the next release or the sweeper").isEqualTo(5);
  }

  @Test
  void continuingAsNewKeepsTheTotalsAndThePace(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    HeldBacklog backlog = start(env, worker, new HeldBacklog(env, 200));
    ReleaseWorkflow workflow = newWorkflow(client, worker);

    WorkflowExecution firstRun = WorkflowClient.start(workflow::release, input(20, 3));
    WorkflowStub.fromTyped(workflow).getResult(Void.class);

    assertThat(backlog.seen()).hasSize(11);
    for (int i = 0; i < 10; i++) {
      assertThat(backlog.gapAfter(i)).as("workflow time after batch %d", i + 1).isGreaterThanOrEqualTo(1000);
    }
    assertThat(workflow.progress()).isEqualTo(new ReleaseProgress(ReleaseProgress.DONE, 200, 11, 0));
    List<HistoryEvent> first = client.fetchHistory(firstRun.getWorkflowId(), firstRun.getRunId()).getEvents();
    assertThat(first.get(first.size() - 1).getEventType())
        .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
    assertThat(first.stream().map(HistoryEvent::getEventType))
        .filteredOn(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED::equals)
        .hasSize(3);
    String lastRunId = WorkflowStub.fromTyped(workflow).describe().getExecution().getRunId();
    assertThat(lastRunId).isNotEqualTo(firstRun.getRunId());
  }

  @Test
  void theReleaseShowsWhereItStandsInTheTemporalUi(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    HeldBacklog backlog = new HeldBacklog(env, 100);
    ReleaseWorkflow workflow = newWorkflow(client, worker);
    String[] detailsDuringBatch3 = new String[1];
    backlog.beforeAnswer(call -> {
      if (call == 3) {
        detailsDuringBatch3[0] = currentDetails(workflow);
      }
    });
    start(env, worker, backlog);

    workflow.release(ReleaseInput.of(SUBSCRIPTION_ID, 20));

    assertThat(detailsDuringBatch3[0]).isEqualTo("released 40 held deliveries; 20 in the last batch");
    assertThat(WorkflowStub.fromTyped(workflow).describe().getStaticSummary())
        .isEqualTo("release held deliveries of sub_test");
  }

  private static HeldBacklog start(TestWorkflowEnvironment env, Worker worker, HeldBacklog backlog) {
    worker.registerActivitiesImplementations(backlog);
    env.start();
    return backlog;
  }

  /** What the Temporal UI shows as current details, read through the SDK's built-in query. */
  private static String currentDetails(ReleaseWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow)
        .query(WorkflowClient.QUERY_TYPE_WORKFLOW_METADATA, WorkflowMetadata.class)
        .getCurrentDetails();
  }
}
