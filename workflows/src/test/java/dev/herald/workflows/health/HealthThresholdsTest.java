package dev.herald.workflows.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HealthThresholdsTest {

  private static List<Integer> toldOf(int failures, int disableAfterFailures) {
    return IntStream.rangeClosed(1, failures)
        .filter(n -> HealthThresholds.tellFailure(n, disableAfterFailures, false))
        .boxed()
        .toList();
  }

  @Test
  void aStreakIsToldAtHalfTheThresholdAtTheThresholdAndAtPowersOfTwo() {
    assertThat(toldOf(100, 20)).containsExactly(4, 8, 10, 16, 20, 32, 64);
    assertThat(toldOf(10, 4)).containsExactly(2, 4, 8);
    assertThat(toldOf(3, 1)).containsExactly(1);
    assertThat(toldOf(40, 0)).as("never disabled: powers of two only").containsExactly(4, 8, 16, 32);
  }

  @Test
  void aMillionFailuresAreToldTwentyTimesAtMost() {
    assertThat(toldOf(1_000_000, 20)).hasSizeLessThanOrEqualTo(3 + 20);
  }

  @Test
  void a410IsAlwaysToldAndASuccessOnlyWhenItEndsAStreakThatWasTold() {
    assertThat(HealthThresholds.tellFailure(1, 20, true)).isTrue();
    assertThat(HealthThresholds.tellSuccess(3, 20)).isFalse();
    assertThat(HealthThresholds.tellSuccess(4, 20)).isTrue();
    assertThat(HealthThresholds.tellSuccess(2, 4)).isTrue();
    assertThat(HealthThresholds.tellSuccess(1, 1)).isTrue();
    assertThat(HealthThresholds.tellSuccess(0, 1)).isFalse();
  }
}
