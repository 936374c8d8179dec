package dev.herald.workflows.health;

import static dev.herald.workflows.health.HealthTesting.DAY;
import static dev.herald.workflows.health.HealthTesting.awaitTrue;
import static dev.herald.workflows.health.HealthTesting.failure;
import static dev.herald.workflows.health.HealthTesting.start;
import static dev.herald.workflows.health.HealthTesting.success;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.workflows.health.HealthTesting.Reporter;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** When the health workflow disables, warns, or leaves a subscription alone. */
@Timeout(30)
class HealthWorkflowThresholdsTest {

  @RegisterExtension static final TestWorkflowExtension temporal = HealthTesting.extension();

  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC);

  @Test
  void aStreakThatReachesTheCountQuicklyIsDisabledOnlyOnceItsFirstFailureIsOldEnough(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    OwnerDesk desk = start(env, worker);
    Reporter reporter = new Reporter(client, worker);
    long first = env.currentTimeMillis();
    for (int i = 1; i <= 20; i++) {
      reporter.failed(failure("att_" + i, first + i - 1, 503, 20, DAY));
    }
    reporter.awaitCount(20);
    long deadline = first + DAY * 1000L;

    env.sleep(Duration.ofMillis(deadline - env.currentTimeMillis() - 60_000));

    assertThat(env.currentTimeMillis()).isLessThan(deadline);
    assertThat(reporter.state().disabled()).isFalse();
    assertThat(desk.disables()).isEmpty();
    assertThat(reporter.currentDetails())
        .endsWith("disables at " + Instant.ofEpochMilli(deadline / 1000 * 1000)
            + " unless an attempt succeeds");

    // No further failure arrives: the timer alone disables.
    env.sleep(Duration.ofMinutes(2));
    awaitTrue("the owner is told", () -> desk.notices(OwnerNotice.DISABLED).size() == 1);

    String reason = "20 consecutive failed attempts since " + MINUTE.format(Instant.ofEpochMilli(first))
        + "; last: HTTP 503";
    assertThat(desk.disables()).singleElement().satisfies(notice -> {
      assertThat(notice.reason()).isEqualTo(reason);
      assertThat(notice.consecutiveFailures()).isEqualTo(20);
      assertThat(notice.streakStartedAtMillis()).isEqualTo(first);
      assertThat(notice.atMillis()).isGreaterThanOrEqualTo(deadline);
    });
    assertThat(desk.calls().get(desk.calls().size() - 2).atMillis()).isGreaterThanOrEqualTo(deadline);
    assertThat(desk.notices(OwnerNotice.DISABLED)).containsExactlyElementsOf(desk.disables());

    // Attempts that were in flight at the disable finish just after it.
    long disabledAt = reporter.state().disabledAtMillis();
    for (int i = 21; i <= 30; i++) {
      reporter.failed(failure("att_" + i, disabledAt + 1000 + i, 503, 20, DAY));
    }
    env.sleep(Duration.ofDays(2));
    awaitTrue("the late failures are processed",
        () -> reporter.state().recentAttemptIds().contains("att_30"));
    HealthState state = reporter.state();
    assertThat(state.disabled()).isTrue();
    assertThat(state.consecutiveFailures()).as("no counting while disabled").isEqualTo(20);
    assertThat(desk.disables()).hasSize(1);
    assertThat(desk.notices(OwnerNotice.DISABLED)).hasSize(1);
    assertThat(reporter.currentDetails()).isEqualTo("disabled: " + reason);
  }

  @Test
  void aSuccessEndsTheStreakAndAFailureFromBeforeItIsIgnored(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    OwnerDesk desk = start(env, worker);
    Reporter reporter = new Reporter(client, worker);
    long t = env.currentTimeMillis();
    for (int i = 1; i <= 3; i++) {
      reporter.failed(failure("att_" + i, t + i, 503, 4, 0));
    }
    reporter.awaitCount(3);

    reporter.succeeded(success("att_ok", t + 10));
    reporter.failed(failure("att_late", t + 5, 503, 4, 0));
    awaitTrue("the late failure is processed",
        () -> reporter.state().recentAttemptIds().contains("att_late"));

    HealthState afterSuccess = reporter.state();
    assertThat(afterSuccess.consecutiveFailures()).isZero();
    assertThat(afterSuccess.streakStartedAtMillis()).isNull();
    assertThat(afterSuccess.lastSuccessAtMillis()).isEqualTo(t + 10);
    assertThat(reporter.currentDetails()).isEqualTo("healthy");

    for (int i = 4; i <= 6; i++) {
      reporter.failed(failure("att_" + i, t + 10 + i, 503, 4, 0));
    }
    reporter.awaitCount(3);
    assertThat(desk.disables()).as("6 failures, but only 3 since the success").isEmpty();

    reporter.failed(failure("att_7", t + 20, 503, 4, 0));
    awaitTrue("disabled", () -> desk.notices(OwnerNotice.DISABLED).size() == 1);
    assertThat(desk.disables()).singleElement().satisfies(notice -> {
      assertThat(notice.consecutiveFailures()).isEqualTo(4);
      assertThat(notice.streakStartedAtMillis()).isEqualTo(t + 14);
    });
  }

  @Test
  void a410DisablesAtOnceEvenOnAFreshStreakAndABurstOfThemDisablesOnce(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    OwnerDesk desk = start(env, worker);
    Reporter reporter = new Reporter(client, worker);
    long t = env.currentTimeMillis();

    for (int i = 1; i <= 5; i++) {
      reporter.failed(failure("att_" + i, t + i, 410, 20, DAY));
    }
    awaitTrue("all five are processed", () -> reporter.state().recentAttemptIds().size() == 5);
    awaitTrue("the owner is told", () -> desk.notices(OwnerNotice.DISABLED).size() == 1);

    assertThat(desk.disables()).singleElement().satisfies(notice -> {
      assertThat(notice.reason())
          .isEqualTo("the endpoint answered 410 Gone at " + MINUTE.format(Instant.ofEpochMilli(t + 1)));
      assertThat(notice.consecutiveFailures()).isEqualTo(1);
      assertThat(notice.type()).isEqualTo(OwnerNotice.DISABLED);
    });
    assertThat(desk.notices()).containsExactlyElementsOf(desk.disables());
    assertThat(reporter.state().disabled()).isTrue();
  }

  @Test
  void a410DisablesEvenWhenTheThresholdSaysNever(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    OwnerDesk desk = start(env, worker);
    Reporter reporter = new Reporter(client, worker);

    reporter.failed(failure("att_1", env.currentTimeMillis(), 410, 0, DAY));

    awaitTrue("disabled", () -> desk.notices(OwnerNotice.DISABLED).size() == 1);
    assertThat(desk.disables()).hasSize(1);
  }

  @Test
  void zeroFailuresNeverDisablesAndNeverWarns(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    OwnerDesk desk = start(env, worker);
    Reporter reporter = new Reporter(client, worker);
    long first = env.currentTimeMillis();
    for (int i = 1; i <= 50; i++) {
      reporter.failed(failure("att_" + i, first + i, 503, 0, 60));
    }
    reporter.awaitCount(50);

    env.sleep(Duration.ofDays(3));
    reporter.failed(failure("att_51", env.currentTimeMillis(), 503, 0, 60));
    reporter.awaitCount(51);

    assertThat(desk.calls()).isEmpty();
    assertThat(reporter.state().disabled()).isFalse();
    assertThat(reporter.state().warned()).isFalse();
    assertThat(reporter.currentDetails()).endsWith("; never disables (disableAfter.failures is 0)");
  }

  @Test
  void theOwnerIsWarnedOncePerStreakAtHalfTheThreshold(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    OwnerDesk desk = start(env, worker);
    Reporter reporter = new Reporter(client, worker);
    long t = env.currentTimeMillis();
    reporter.failed(failure("att_1", t + 1, 503, 5, DAY));
    reporter.failed(failure("att_2", t + 2, 503, 5, DAY));
    reporter.awaitCount(2);
    assertThat(desk.notices()).as("below ceil(5 / 2)").isEmpty();

    for (int i = 3; i <= 6; i++) {
      reporter.failed(failure("att_" + i, t + i, 503, 5, DAY));
    }
    reporter.awaitCount(6);

    assertThat(desk.notices()).singleElement().satisfies(notice -> {
      assertThat(notice.type()).isEqualTo(OwnerNotice.FAILING);
      assertThat(notice.consecutiveFailures()).isEqualTo(3);
      assertThat(notice.reason())
          .isEqualTo("3 consecutive failed attempts since " + MINUTE.format(Instant.ofEpochMilli(t + 1))
              + "; last: HTTP 503 (disabled after 5 failures over 24 h)");
    });
    assertThat(desk.disables()).as("the streak is minutes old").isEmpty();

    reporter.succeeded(success("att_ok", t + 100));
    for (int i = 7; i <= 9; i++) {
      reporter.failed(failure("att_" + i, t + 100 + i, 503, 5, DAY));
    }
    reporter.awaitCount(3);
    awaitTrue("warned again", () -> desk.notices().size() == 2);

    OwnerNotice second = desk.notices().get(1);
    assertThat(second.type()).isEqualTo(OwnerNotice.FAILING);
    assertThat(second.streakStartedAtMillis()).isEqualTo(t + 107);
    assertThat(second.key()).isNotEqualTo(desk.notices().get(0).key());
  }

  @Test
  void aResetClearsTheCountAndArmsDisablingAgain(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    OwnerDesk desk = start(env, worker);
    Reporter reporter = new Reporter(client, worker);
    long t = env.currentTimeMillis();
    for (int i = 1; i <= 3; i++) {
      reporter.failed(failure("att_" + i, t + i, 503, 3, 0));
    }
    awaitTrue("disabled", () -> desk.notices(OwnerNotice.DISABLED).size() == 1);

    reporter.reset("re-enabled through the API");
    awaitTrue("reset", () -> !reporter.state().disabled());
    HealthState state = reporter.state();
    assertThat(state.consecutiveFailures()).isZero();
    assertThat(state.streakStartedAtMillis()).isNull();
    assertThat(state.warned()).isFalse();
    assertThat(state.disableReason()).isNull();
    assertThat(reporter.currentDetails()).isEqualTo("healthy");

    for (int i = 4; i <= 6; i++) {
      reporter.failed(failure("att_" + i, t + 10 + i, 503, 3, 0));
    }
    awaitTrue("disabled again", () -> desk.notices(OwnerNotice.DISABLED).size() == 2);
    assertThat(desk.disables()).hasSize(2);
    assertThat(desk.disables().get(1).streakStartedAtMillis()).isEqualTo(t + 14);
  }

  @Test
  void aFailureWellAfterTheDisableCountsAfreshWhenTheResetWasLost(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    OwnerDesk desk = start(env, worker);
    Reporter reporter = new Reporter(client, worker);
    long t = env.currentTimeMillis();
    for (int i = 1; i <= 3; i++) {
      reporter.failed(failure("att_" + i, t + i, 503, 3, 0));
    }
    awaitTrue("disabled", () -> desk.notices(OwnerNotice.DISABLED).size() == 1);
    long disabledAt = reporter.state().disabledAtMillis();

    // An attempt that was in flight at the disable finishes a little later: it does not count.
    reporter.failed(failure("att_in_flight", disabledAt + 20_000, 503, 3, 0));
    // Well after the disable, attempts are made again: the subscription was re-enabled.
    reporter.failed(failure("att_after", disabledAt + 120_000, 503, 3, 0));
    awaitTrue("counting again", () -> !reporter.state().disabled());
    HealthState state = reporter.state();
    assertThat(state.consecutiveFailures()).isEqualTo(1);
    assertThat(state.streakStartedAtMillis()).isEqualTo(disabledAt + 120_000);
    assertThat(desk.disables()).hasSize(1);
  }

  @Test
  void aSubscriptionThatWasAlreadyInactiveIsNotAnnounced(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    OwnerDesk desk = start(env, worker, new OwnerDesk(env).alreadyInactive());
    Reporter reporter = new Reporter(client, worker);

    reporter.failed(failure("att_1", env.currentTimeMillis(), 410, 20, DAY));
    awaitTrue("disable was tried", () -> reporter.state().disabled());
    awaitTrue("the details say why",
        () -> reporter.currentDetails().contains("the subscription was already inactive"));

    assertThat(desk.disables()).hasSize(1);
    assertThat(desk.notices()).isEmpty();
  }
}
