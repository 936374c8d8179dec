package dev.herald.workflows.health;

import dev.herald.workflows.temporal.InfrastructureRetry;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * The failure counter of one subscription. Signal handlers only put reports in an inbox (after
 * dropping one seen before); the main loop takes them in arrival order, so that the activities
 * it calls (disable, notify) never run concurrently and a burst of failures disables once. A
 * durable timer waits out the streak's minimum age when the count is reached early. Continues as
 * new, carrying {@link HealthState}, only with an empty inbox and no activity running.
 */
public class SubscriptionHealthWorkflowImpl implements SubscriptionHealthWorkflow {

  private static final Logger log = Workflow.getLogger(SubscriptionHealthWorkflowImpl.class);

  // No maximum attempts: both activities are idempotent, and a database outage must delay a
  // disable or a notice, not drop it.
  private static final RetryOptions INFRASTRUCTURE_RETRY = InfrastructureRetry.OPTIONS;

  /** A signal waiting its turn. */
  private sealed interface Message permits Failed, Succeeded, Reset {}

  private record Failed(AttemptReport report) implements Message {}

  private record Succeeded(AttemptReport report) implements Message {}

  private record Reset(ResetRequest request) implements Message {}

  private final HealthInput input;
  private final Deque<Message> inbox = new ArrayDeque<>();
  private final RecentAttemptIds recentAttemptIds;

  private int consecutiveFailures;
  private Long streakStartedAtMillis;
  private String lastError;
  private Long lastSuccessAtMillis;
  private boolean warned;
  private boolean disabled;
  private Long disabledAtMillis;
  private String disableReason;
  private int disableAfterFailures;
  private int disableAfterSeconds;

  /** Longer than any attempt (at most 30 s) that was in flight when the subscription was disabled. */
  static final long IN_FLIGHT_MARGIN_MILLIS = 60_000;

  private final DisableTimer disableTimer = new DisableTimer();

  /** Restores the carried state before any signal handler can run. */
  @WorkflowInit
  public SubscriptionHealthWorkflowImpl(HealthInput input) {
    this.input = input;
    HealthState carried = input.carried() == null ? HealthState.healthy() : input.carried();
    consecutiveFailures = carried.consecutiveFailures();
    streakStartedAtMillis = carried.streakStartedAtMillis();
    lastError = carried.lastError();
    lastSuccessAtMillis = carried.lastSuccessAtMillis();
    warned = carried.warned();
    disabled = carried.disabled();
    disableReason = carried.disableReason();
    disabledAtMillis = carried.disabledAtMillis();
    disableAfterFailures = carried.disableAfterFailures();
    disableAfterSeconds = carried.disableAfterSeconds();
    recentAttemptIds = new RecentAttemptIds(carried.recentAttemptIds());
  }

  @Override
  public void watch(HealthInput input) {
    showDetails();
    while (true) {
      while (!inbox.isEmpty()) {
        handle(inbox.poll());
      }
      // The streak became old enough while we waited (or in an earlier run).
      if (disableDue()) {
        disable(HealthDescriptions.disabledReason(consecutiveFailures, streakStartedAtMillis, lastError));
        continue;
      }
      if (continueAsNewDue()) {
        log.info(
            "health of {} continues as new at {} history events",
            input.subscriptionId(), Workflow.getInfo().getHistoryLength());
        Workflow.continueAsNew(input.continued(state()));
      }
      armTimer();
      Workflow.await(() -> !inbox.isEmpty() || disableTimer.fired() || continueAsNewDue());
    }
  }

  @Override
  public void attemptFailed(AttemptReport report) {
    if (firstSeen(report)) {
      inbox.add(new Failed(report));
    }
  }

  @Override
  public void attemptSucceeded(AttemptReport report) {
    if (firstSeen(report)) {
      inbox.add(new Succeeded(report));
    }
  }

  @Override
  public void reset(ResetRequest request) {
    inbox.add(new Reset(request));
  }

  @Override
  public HealthState state() {
    return new HealthState(
        consecutiveFailures,
        streakStartedAtMillis,
        lastError,
        lastSuccessAtMillis,
        warned,
        disabled,
        recentAttemptIds.toList(),
        disableAfterFailures,
        disableAfterSeconds,
        disableReason,
        disabledAtMillis);
  }

  private boolean firstSeen(AttemptReport report) {
    return report.attemptId() == null || recentAttemptIds.add(report.attemptId());
  }

  private void handle(Message message) {
    if (message instanceof Failed failed) {
      onFailure(failed.report());
    } else if (message instanceof Succeeded succeeded) {
      onSuccess(succeeded.report());
    } else if (message instanceof Reset reset) {
      onReset(reset.request());
    }
  }

  private void onFailure(AttemptReport report) {
    // Reports can arrive out of order: a failure that finished before the last success is old news.
    if (lastSuccessAtMillis != null && report.atMillis() <= lastSuccessAtMillis) {
      return;
    }
    if (disabled) {
      // No attempt is made while the subscription is disabled, so a failure well after the
      // disable (later than any attempt then in flight could finish) means it was re-enabled
      // and the reset signal was lost: count afresh.
      if (disabledAtMillis == null || report.atMillis() <= disabledAtMillis + IN_FLIGHT_MARGIN_MILLIS) {
        return;
      }
      onReset(new ResetRequest("a failed attempt after the disable: the subscription was re-enabled"));
    }
    if (report.counted()) {
      if (!takeCount(report)) {
        return;
      }
    } else {
      consecutiveFailures++;
      streakStartedAtMillis =
          streakStartedAtMillis == null
              ? report.atMillis()
              : Math.min(streakStartedAtMillis, report.atMillis());
    }
    lastError = report.describe();
    disableAfterFailures = report.disableAfterFailures();
    disableAfterSeconds = report.disableAfterSeconds();
    if (report.gone()) {
      disable(HealthDescriptions.goneReason(report.atMillis()));
    } else if (disableDue()) {
      disable(HealthDescriptions.disabledReason(consecutiveFailures, streakStartedAtMillis, lastError));
    } else {
      if (warningDue()) {
        warn();
      }
      showDetails();
    }
  }

  /**
   * Takes PostgreSQL's count and streak start from a report: the attempt activity tells of a
   * failure only when the count crosses a threshold, so the count is not this workflow's to keep.
   * A report of a newer streak starts it afresh; one of an older streak is old news.
   *
   * @return false when the report is older than the streak known
   */
  private boolean takeCount(AttemptReport report) {
    long since = report.failingSinceMillis();
    if (streakStartedAtMillis != null && since < streakStartedAtMillis) {
      return false;
    }
    if (streakStartedAtMillis != null && since > streakStartedAtMillis) {
      endStreak();
    }
    streakStartedAtMillis = since;
    consecutiveFailures = Math.max(consecutiveFailures, report.failuresInARow());
    return true;
  }

  private void onSuccess(AttemptReport report) {
    lastSuccessAtMillis =
        lastSuccessAtMillis == null
            ? report.atMillis()
            : Math.max(lastSuccessAtMillis, report.atMillis());
    if (streakStartedAtMillis != null && report.atMillis() >= streakStartedAtMillis) {
      endStreak();
    }
    showDetails();
  }

  private void onReset(ResetRequest request) {
    log.info("health of {} reset: {}", input.subscriptionId(), request.reason());
    endStreak();
    disabled = false;
    disableReason = null;
    disabledAtMillis = null;
    showDetails();
  }

  private void endStreak() {
    consecutiveFailures = 0;
    streakStartedAtMillis = null;
    warned = false;
    disableTimer.cancel();
  }

  /** Both thresholds hold: the count, and the age of the streak's first failure. */
  private boolean disableDue() {
    Long dueAt = disableDueAtMillis();
    return dueAt != null && Workflow.currentTimeMillis() >= dueAt;
  }

  /** When the streak may be disabled, once the count is reached; null before, or never. */
  private Long disableDueAtMillis() {
    if (disabled
        || streakStartedAtMillis == null
        || disableAfterFailures <= 0
        || consecutiveFailures < disableAfterFailures) {
      return null;
    }
    return streakStartedAtMillis + disableAfterSeconds * 1000L;
  }

  private boolean warningDue() {
    return disableAfterFailures > 0
        && !warned
        && consecutiveFailures >= HealthThresholds.warnAt(disableAfterFailures);
  }

  private boolean continueAsNewDue() {
    WorkflowInfo info = Workflow.getInfo();
    return (info.isContinueAsNewSuggested() || info.getHistoryLength() >= input.historyLimit())
        && inbox.isEmpty()
        && Workflow.isEveryHandlerFinished();
  }

  private void disable(String reason) {
    disableTimer.cancel();
    OwnerNotice notice = notice(OwnerNotice.DISABLED, reason);
    // Marked before the call: reports that arrive meanwhile wait in the inbox and find it disabled.
    disabled = true;
    disableReason = reason;
    disabledAtMillis = Workflow.currentTimeMillis();
    showDetails();
    log.info("disabling {}: {}", input.subscriptionId(), reason);
    if (activities("disable: " + reason).disable(notice)) {
      activities("tell the owner: " + reason).notifyOwner(notice);
    } else {
      disableReason = reason + " (not disabled: the subscription was already inactive, or a success"
          + " had ended the streak)";
      showDetails();
    }
  }

  private void warn() {
    String reason =
        HealthDescriptions.failingReason(
            consecutiveFailures, streakStartedAtMillis, lastError, disableAfterFailures,
            disableAfterSeconds);
    warned = true;
    log.info("warning the owner of {}: {}", input.subscriptionId(), reason);
    activities("warn the owner: " + reason).notifyOwner(notice(OwnerNotice.FAILING, reason));
  }

  private OwnerNotice notice(String type, String reason) {
    return new OwnerNotice(
        type,
        input.subscriptionId(),
        input.tenantId(),
        reason,
        consecutiveFailures,
        streakStartedAtMillis,
        Workflow.currentTimeMillis());
  }

  /** Keeps one timer set for the instant the streak becomes old enough, if it will. */
  private void armTimer() {
    Long before = disableTimer.waitingUntil();
    disableTimer.arm(disableDueAtMillis());
    if (!Objects.equals(before, disableTimer.waitingUntil())) {
      showDetails();
    }
  }

  private static HealthActivities activities(String summary) {
    return Workflow.newActivityStub(
        HealthActivities.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(2))
            .setRetryOptions(INFRASTRUCTURE_RETRY)
            .setSummary(summary)
            .build());
  }

  private void showDetails() {
    Workflow.setCurrentDetails(HealthDescriptions.details(state(), disableTimer.waitingUntil()));
  }
}
