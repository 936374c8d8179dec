package dev.herald.workflows.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.NonDeterministicException;
import io.temporal.workflow.Workflow;
import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replays a recorded health run against the current implementation: a change to its commands
 * (the timer dropped, a notice more) fails here before it can break the health workflows that
 * run for months in production.
 */
class HealthWorkflowReplayTest {

  private static final File STREAK_WARN_DISABLE_CONTINUE =
      HealthHistoryRecorder.STREAK_WARN_DISABLE_CONTINUE.toFile();

  @Test
  void theRecordedStreakReplaysDeterministically() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        STREAK_WARN_DISABLE_CONTINUE, SubscriptionHealthWorkflowImpl.class);
  }

  @Test
  void theRecordedHistoryIsAStreakAWarningATimerADisableAndAContinueAsNew() throws Exception {
    List<HistoryEvent> events =
        WorkflowExecutionHistory.fromJson(Files.readString(STREAK_WARN_DISABLE_CONTINUE.toPath()))
            .getEvents();
    List<EventType> types = events.stream().map(HistoryEvent::getEventType).toList();
    List<String> activities =
        events.stream()
            .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
            .map(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName())
            .toList();

    assertThat(types).filteredOn(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED::equals).hasSize(4);
    assertThat(activities).containsExactly("NotifyOwner", "Disable", "NotifyOwner");
    int warned = types.indexOf(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
    int timerStarted = types.indexOf(EventType.EVENT_TYPE_TIMER_STARTED);
    int timerFired = types.indexOf(EventType.EVENT_TYPE_TIMER_FIRED);
    int disabled = types.lastIndexOf(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) - 1;
    assertThat(warned).isLessThan(timerStarted);
    assertThat(timerStarted).isLessThan(timerFired);
    assertThat(timerFired).isLessThan(disabled);
    assertThat(types).last().isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
  }

  @Test
  void anImplementationThatDisablesWithoutWaitingFailsTheReplay() {
    assertThatThrownBy(
            () ->
                WorkflowReplayer.replayWorkflowExecution(
                    STREAK_WARN_DISABLE_CONTINUE, ImpatientHealthWorkflow.class))
        .hasMessageContaining(NonDeterministicException.class.getSimpleName());
  }

  /** A broken variant: it warns at half the count, then disables at the count, with no timer. */
  public static class ImpatientHealthWorkflow implements SubscriptionHealthWorkflow {
    private int failures;
    private int processed;

    @Override
    public void watch(HealthInput input) {
      HealthActivities activities =
          Workflow.newActivityStub(
              HealthActivities.class,
              ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(2)).build());
      while (true) {
        Workflow.await(() -> failures > processed);
        processed++;
        OwnerNotice notice =
            new OwnerNotice(OwnerNotice.FAILING, input.subscriptionId(), input.tenantId(), "", processed, 0, 0);
        if (processed == 2) {
          activities.notifyOwner(notice);
        } else if (processed == 4) {
          activities.disable(notice);
          activities.notifyOwner(notice);
        }
      }
    }

    @Override
    public void attemptFailed(AttemptReport report) {
      failures++;
    }

    @Override
    public void attemptSucceeded(AttemptReport report) {}

    @Override
    public void reset(ResetRequest request) {}

    @Override
    public HealthState state() {
      return null;
    }
  }
}
