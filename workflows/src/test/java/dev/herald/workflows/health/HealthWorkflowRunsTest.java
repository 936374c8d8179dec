package dev.herald.workflows.health;

import static dev.herald.workflows.health.HealthTesting.DAY;
import static dev.herald.workflows.health.HealthTesting.SUBSCRIPTION_ID;
import static dev.herald.workflows.health.HealthTesting.awaitTrue;
import static dev.herald.workflows.health.HealthTesting.failure;
import static dev.herald.workflows.health.HealthTesting.start;
import static dev.herald.workflows.health.HealthTesting.success;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.workflows.health.HealthTesting.Reporter;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Deduplication, continue-as-new and what the workflow shows of itself. */
@Timeout(60)
class HealthWorkflowRunsTest {

  @RegisterExtension static final TestWorkflowExtension temporal = HealthTesting.extension();

  @Test
  void aReportDeliveredTwiceCountsOnce(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    start(env, worker);
    Reporter reporter = new Reporter(client, worker);
    long t = env.currentTimeMillis();
    AttemptReport retried = failure("att_1", t, 503, 20, DAY);

    reporter.failed(retried);
    reporter.failed(retried);
    reporter.failed(failure("att_2", t + 1, 503, 20, DAY));
    reporter.failed(retried);
    awaitTrue("att_2 is processed", () -> reporter.state().recentAttemptIds().contains("att_2"));

    assertThat(reporter.state().consecutiveFailures()).isEqualTo(2);
    assertThat(reporter.state().recentAttemptIds()).containsExactly("att_1", "att_2");
  }

  @Test
  void aReportDeliveredAgainAfterAContinueAsNewCountsOnce(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    start(env, worker);
    Reporter reporter = new Reporter(client, worker, 60);
    long t = env.currentTimeMillis();
    reporter.failed(failure("att_0", t, 503, 1000, DAY));
    String firstRun = runId(reporter);
    int n = 0;
    while (runId(reporter).equals(firstRun)) {
      n++;
      reporter.failed(failure("att_" + n, t + n, 503, 1000, DAY));
      reporter.awaitCount(n + 1);
    }

    reporter.failed(failure("att_0", t, 503, 1000, DAY));
    reporter.failed(failure("att_" + n, t + n, 503, 1000, DAY));
    reporter.failed(failure("att_last", t + n + 1, 503, 1000, DAY));
    awaitTrue("att_last is processed", () -> reporter.state().recentAttemptIds().contains("att_last"));

    assertThat(reporter.state().consecutiveFailures()).isEqualTo(n + 2);
  }

  @Test
  void continuingAsNewKeepsTheCountTheStreakStartAndTheWarning(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    OwnerDesk desk = start(env, worker);
    Reporter reporter = new Reporter(client, worker, 20);
    long first = env.currentTimeMillis();
    // Waits watch the fake, not the query: a query that races a continue-as-new on the test
    // server costs a 10 s workflow task timeout (the count stays right).
    for (int i = 1; i <= 20; i++) {
      reporter.failed(failure("att_" + i, first + i, 503, 40, DAY));
    }
    awaitTrue("warned", () -> desk.notices().size() == 1);
    for (int i = 21; i <= 30; i++) {
      reporter.failed(failure("att_" + i, first + i, 503, 40, DAY));
    }
    reporter.awaitCount(30);

    assertThat(runs(client, reporter)).isGreaterThanOrEqualTo(2);
    HealthState state = reporter.state();
    assertThat(state.consecutiveFailures()).isEqualTo(30);
    assertThat(state.streakStartedAtMillis()).isEqualTo(first + 1);
    assertThat(state.warned()).isTrue();
    assertThat(state.disableAfterFailures()).isEqualTo(40);
    assertThat(state.disableAfterSeconds()).isEqualTo(DAY);
    assertThat(desk.notices(OwnerNotice.FAILING))
        .as("warned at 20, once, although later runs saw 21 to 30")
        .singleElement()
        .extracting(OwnerNotice::consecutiveFailures)
        .isEqualTo(20);
  }

  @Test
  void noReportIsLostWhenManyArriveAroundContinueAsNew(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) throws Exception {
    OwnerDesk desk = start(env, worker);
    Reporter reporter = new Reporter(client, worker, 60);
    long t = env.currentTimeMillis();
    // The first report alone: the test server does not make concurrent signal-with-starts of a
    // workflow that does not exist yet atomic, as a real server does.
    reporter.failed(failure("att_0", t, 503, 1000, DAY));
    reporter.awaitCount(1);
    // Then four waves of fifty, each sent by four threads at once, so that reports keep
    // arriving while runs end and begin.
    ExecutorService senders = Executors.newFixedThreadPool(4);
    try {
      for (int wave = 0; wave < 4; wave++) {
        List<Future<?>> sent = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
          int from = Math.max(1, wave * 50 + s * 13);
          int to = Math.min(wave * 50 + 50, from + 13);
          sent.add(senders.submit(() -> {
            for (int n = from; n < to; n++) {
              reporter.failed(failure("att_" + n, t + n, 503, 1000, DAY));
            }
          }));
        }
        for (Future<?> f : sent) {
          f.get();
        }
        reporter.awaitCount(wave * 50 + 50);
      }
    } finally {
      senders.shutdown();
    }

    reporter.awaitCount(200);
    int runs = runs(client, reporter);
    System.out.println("200 failures counted over " + runs + " runs");
    assertThat(runs).isGreaterThanOrEqualTo(3);
    assertThat(reporter.state().streakStartedAtMillis()).isEqualTo(t);
    assertThat(reporter.state().recentAttemptIds()).hasSize(200);
    assertThat(desk.calls()).isEmpty();
  }

  @Test
  void theQueryAndTheCurrentDetailsShowTheCountTheStreakStartAndTheLastError(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    start(env, worker);
    Reporter reporter = new Reporter(client, worker);
    long first = env.currentTimeMillis();
    reporter.failed(failure("att_1", first, 503, 20, DAY));
    reporter.failed(failure("att_2", first + 1, 502, 20, DAY));
    reporter.failed(failure("att_3", first + 2, null, 20, DAY));
    reporter.awaitCount(3);

    HealthState state = reporter.state();
    assertThat(state.consecutiveFailures()).isEqualTo(3);
    assertThat(state.streakStartedAtMillis()).isEqualTo(first);
    assertThat(state.lastError()).isEqualTo("timeout");
    assertThat(state.disabled()).isFalse();
    String since = Instant.ofEpochMilli(first).truncatedTo(ChronoUnit.SECONDS).toString();
    assertThat(reporter.currentDetails())
        .isEqualTo("3 consecutive failures since " + since
            + "; last: timeout; disables at 20 failures and 24 h");

    reporter.succeeded(success("att_ok", first + 10));
    awaitTrue("healthy again", () -> reporter.currentDetails().equals("healthy"));
    assertThat(reporter.state().lastSuccessAtMillis()).isEqualTo(first + 10);
    assertThat(reporter.state().lastError()).as("kept for the record").isEqualTo("timeout");
  }

  private static String runId(Reporter reporter) {
    return WorkflowStub.fromTyped(reporter.running()).describe().getExecution().getRunId();
  }

  /** How many runs the chain of continue-as-new has, following it back from the current run. */
  private static int runs(WorkflowClient client, Reporter reporter) {
    String workflowId = SubscriptionHealthWorkflows.workflowId(SUBSCRIPTION_ID);
    String runId = runId(reporter);
    int runs = 1;
    while (true) {
      HistoryEvent started = client.fetchHistory(workflowId, runId).getEvents().get(0);
      String previous =
          started.getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
      if (previous.isEmpty()) {
        return runs;
      }
      runs++;
      runId = previous;
    }
  }
}
