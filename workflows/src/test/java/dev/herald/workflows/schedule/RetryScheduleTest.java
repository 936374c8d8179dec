package dev.herald.workflows.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

  @Test
  void jitterStaysWithinTenPercentOfEveryWaitAcrossManySeeds() {
    for (int i = 0; i < RetrySchedule.DEFAULT.size(); i++) {
      int base = RetrySchedule.DEFAULT.get(i);
      int min = Integer.MAX_VALUE;
      int max = Integer.MIN_VALUE;
      for (long seed = 0; seed < 5_000; seed++) {
        int delay = RetrySchedule.jitteredDelay(RetrySchedule.DEFAULT, i + 1, new Random(seed));
        min = Math.min(min, delay);
        max = Math.max(max, delay);
      }
      assertThat(min)
          .as("shortest wait for %d s", base)
          .isGreaterThanOrEqualTo((int) Math.round(base * 0.9));
      assertThat(max)
          .as("longest wait for %d s", base)
          .isLessThanOrEqualTo((int) Math.round(base * 1.1));
      if (base >= 300) {
        // The jitter really spreads the waits, rather than always returning the base.
        assertThat(min).isLessThan((int) (base * 0.95));
        assertThat(max).isGreaterThan((int) (base * 1.05));
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameWaits() {
    Random a = new Random(42);
    Random b = new Random(42);
    for (int n = 1; n <= RetrySchedule.DEFAULT.size(); n++) {
      assertThat(RetrySchedule.jitteredDelay(RetrySchedule.DEFAULT, n, a))
          .isEqualTo(RetrySchedule.jitteredDelay(RetrySchedule.DEFAULT, n, b));
    }
  }

  @Test
  void aWaitIsNeverShorterThanOneSecond() {
    for (long seed = 0; seed < 1_000; seed++) {
      assertThat(RetrySchedule.jitteredDelay(List.of(1), 1, new Random(seed)))
          .isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void thereIsNoWaitAfterTheLastAttempt() {
    Random random = new Random(1);
    assertThat(RetrySchedule.jitteredDelay(RetrySchedule.DEFAULT, 8, random)).isNull();
    assertThat(RetrySchedule.jitteredDelay(RetrySchedule.DEFAULT, 0, random)).isNull();
    assertThat(RetrySchedule.jitteredDelay(List.of(), 1, random)).isNull();
  }

  @Test
  void retryAfterLengthensTheWaitButNeverShortensIt() {
    assertThat(RetrySchedule.withRetryAfter(300, null)).isEqualTo(300);
    assertThat(RetrySchedule.withRetryAfter(300, 10)).isEqualTo(300);
    assertThat(RetrySchedule.withRetryAfter(300, 3600)).isEqualTo(3600);
  }

  @Test
  void retryAfterIsCappedAtOneDay() {
    assertThat(RetrySchedule.withRetryAfter(5, 86_401)).isEqualTo(86_400);
    assertThat(RetrySchedule.withRetryAfter(5, Integer.MAX_VALUE)).isEqualTo(86_400);
    assertThat(RetrySchedule.withRetryAfter(5, 86_400)).isEqualTo(86_400);
  }

  @Test
  void exponentialDoublesEachWait() {
    assertThat(RetrySchedule.exponential(5, 60)).containsExactly(60, 120, 240, 480, 960);
    assertThat(RetrySchedule.exponential(0, 60)).isEmpty();
  }

  @Test
  void exponentialCapsEachWaitAtOneDay() {
    List<Integer> waits = RetrySchedule.exponential(20, 3600);
    assertThat(waits).hasSize(20).allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(86_400));
    assertThat(waits.get(5)).isEqualTo(86_400);
    assertThat(waits.get(19)).isEqualTo(86_400);
  }

  @Test
  void theDefaultScheduleIsEightAttemptsOverAboutTwentySevenAndAHalfHours() {
    assertThat(RetrySchedule.DEFAULT).hasSize(7);
    int total = RetrySchedule.DEFAULT.stream().mapToInt(Integer::intValue).sum();
    assertThat(total / 3600.0).isCloseTo(27.6, Offset.offset(0.05));
  }
}
