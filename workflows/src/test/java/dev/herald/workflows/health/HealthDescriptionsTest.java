package dev.herald.workflows.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthDescriptionsTest {

  private static final long STREAK = Instant.parse("2026-11-22T09:14:05.123Z").toEpochMilli();

  @Test
  void theDisableReasonNamesTheCountTheMinuteTheStreakBeganAndTheLastError() {
    assertThat(HealthDescriptions.disabledReason(20, STREAK, "HTTP 503"))
        .isEqualTo("20 consecutive failed attempts since 2026-11-22T09:14Z; last: HTTP 503");
    assertThat(HealthDescriptions.disabledReason(1, STREAK, "timeout"))
        .isEqualTo("1 consecutive failed attempt since 2026-11-22T09:14Z; last: timeout");
  }

  @Test
  void theWarningSaysWhenTheSubscriptionWillBeDisabled() {
    assertThat(HealthDescriptions.failingReason(10, STREAK, "HTTP 503", 20, 86_400))
        .isEqualTo("10 consecutive failed attempts since 2026-11-22T09:14Z; last: HTTP 503"
            + " (disabled after 20 failures over 24 h)");
    assertThat(HealthDescriptions.failingReason(2, STREAK, "HTTP 500", 3, 0))
        .endsWith("(disabled after 3 failures)");
  }

  @Test
  void a410SaysWhenTheEndpointAnswered() {
    assertThat(HealthDescriptions.goneReason(STREAK))
        .isEqualTo("the endpoint answered 410 Gone at 2026-11-22T09:14Z");
  }

  @Test
  void spansReadInTheLargestWholeUnit() {
    assertThat(HealthDescriptions.span(86_400)).isEqualTo("24 h");
    assertThat(HealthDescriptions.span(5_400)).isEqualTo("90 min");
    assertThat(HealthDescriptions.span(45)).isEqualTo("45 s");
  }

  @Test
  void theDetailsShowTheStreakOrItsAbsence() {
    HealthState streak =
        new HealthState(3, STREAK, "HTTP 503", null, false, false, List.of(), 20, 86_400, null, null);
    assertThat(HealthDescriptions.details(streak, null))
        .isEqualTo("3 consecutive failures since 2026-11-22T09:14:05Z; last: HTTP 503;"
            + " disables at 20 failures and 24 h");
    assertThat(HealthDescriptions.details(streak, STREAK + 86_400_000L))
        .endsWith("; disables at 2026-11-23T09:14:05Z unless an attempt succeeds");
    assertThat(HealthDescriptions.details(HealthState.healthy(), null)).isEqualTo("healthy");
    HealthState disabled =
        new HealthState(20, STREAK, "HTTP 503", null, true, true, List.of(), 20, 86_400, "why", STREAK);
    assertThat(HealthDescriptions.details(disabled, null)).isEqualTo("disabled: why");
  }
}
