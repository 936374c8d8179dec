package dev.herald.workflows.retention;

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
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The retention loop on a time-skipping test server, against a fake backlog of aged deliveries. */
@Timeout(30)
class RetentionWorkflowTest {

  private static final long HOUR = Duration.ofHours(1).toMillis();

  @RegisterExtension static final TestWorkflowExtension temporal = RetentionTesting.extension();

  @Test
  void fullBatchesFollowAfterAPauseAShortOneSleepsOnTheTimerAndTheRunContinuesAsNewAfterItsBound(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    AgedBacklog backlog = new AgedBacklog(env, 1000, 2500);
    worker.registerActivitiesImplementations(backlog);
    env.start();
    RetentionWorkflow workflow = RetentionTesting.newWorkflow(client, worker);

    WorkflowExecution firstRun =
        WorkflowClient.start(workflow::run, new RetentionInput(500, HOUR, 5, null));
    env.sleep(Duration.ofMinutes(30));

    // 1000, 1000, then 500: caught up, so it sleeps on the hour's timer.
    assertThat(backlog.seen()).extracting(s -> s.result().deliveries()).containsExactly(1000, 1000, 500);
    assertThat(backlog.gapBefore(2)).as("pause after a full batch").isBetween(500L, HOUR - 1);
    assertThat(backlog.gapBefore(3)).as("pause after a full batch").isBetween(500L, HOUR - 1);
    assertThat(workflow.progress())
        .isEqualTo(new RetentionProgress(3, 2500, 10_000, 1250, AgedBacklog.CUTOFF_MILLIS));
    assertThat(currentDetails(workflow)).isEqualTo(
        "removed 2500 deliveries, 10000 attempts, 1250 events in 3 batches; cutoff"
            + " 2026-09-21T14:13:20Z; last batch 500 deliveries in 7 ms, caught up, next look after"
            + " the idle timer");

    assertThat(WorkflowStub.fromTyped(workflow).describe().getStaticSummary())
        .isEqualTo(RetentionWorkflows.SUMMARY);

    backlog.age(1200);
    env.sleep(Duration.ofHours(1));

    // After the timer: 1000, then 200, which is the run's fifth batch: the timer, then a new run.
    assertThat(backlog.seen()).extracting(s -> s.result().deliveries())
        .containsExactly(1000, 1000, 500, 1000, 200);
    assertThat(backlog.gapBefore(4)).as("the idle timer").isGreaterThanOrEqualTo(HOUR);
    assertThat(runId(workflow)).isEqualTo(firstRun.getRunId());

    env.sleep(Duration.ofHours(1));

    assertThat(backlog.seen()).hasSize(6);
    assertThat(backlog.gapBefore(6)).as("the idle timer before the new run").isGreaterThanOrEqualTo(HOUR);
    assertThat(runId(workflow)).isNotEqualTo(firstRun.getRunId());
    assertThat(workflow.progress()).as("totals carried into the new run")
        .isEqualTo(new RetentionProgress(6, 3700, 14_800, 1850, AgedBacklog.CUTOFF_MILLIS));
    List<HistoryEvent> first =
        client.fetchHistory(firstRun.getWorkflowId(), firstRun.getRunId()).getEvents();
    assertThat(first.get(first.size() - 1).getEventType())
        .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
    assertThat(first.stream().map(HistoryEvent::getEventType))
        .filteredOn(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED::equals)
        .hasSize(5);
    // A new run has no static summary of its own (continue-as-new cannot set one): its details say it.
    assertThat(currentDetails(workflow)).startsWith("removed 3700 deliveries, 14800 attempts, 1850"
        + " events in 6 batches;");
    WorkflowStub.fromTyped(workflow).terminate("test over");
  }

  private static String runId(RetentionWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow).describe().getExecution().getRunId();
  }

  /** What the Temporal UI shows as current details, read through the SDK's built-in query. */
  private static String currentDetails(RetentionWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow)
        .query(WorkflowClient.QUERY_TYPE_WORKFLOW_METADATA, WorkflowMetadata.class)
        .getCurrentDetails();
  }
}
