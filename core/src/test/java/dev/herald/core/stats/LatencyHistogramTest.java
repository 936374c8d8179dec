package dev.herald.core.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void aDurationGoesToTheFirstBucketWhoseBoundItDoesNotExceed() {
    assertThat(LatencyHistogram.slotOf(0)).isZero();
    assertThat(LatencyHistogram.slotOf(10)).isZero();
    assertThat(LatencyHistogram.slotOf(11)).isEqualTo(1);
    assertThat(LatencyHistogram.slotOf(30_000)).isEqualTo(10);
    assertThat(LatencyHistogram.slotOf(30_001)).isEqualTo(11);
    assertThat(LatencyHistogram.SLOTS).isEqualTo(12);
  }

  @Test
  void percentilesInterpolateInsideTheBucketThatHoldsTheRank() {
    long[] counts = new long[LatencyHistogram.SLOTS];
    counts[3] = 50; // (50, 100]
    counts[4] = 50; // (100, 250]
    LatencyHistogram h = new LatencyHistogram(counts, 0, 240);

    assertThat(h.percentileMs(0.25)).isEqualTo(75);
    assertThat(h.percentileMs(0.50)).isEqualTo(100);
    // Rank 95 is the 45th of 50 in (100, 240]: the upper end is the largest duration.
    assertThat(h.percentileMs(0.95)).isEqualTo(226);
    assertThat(h.percentileMs(1.0)).isEqualTo(240);
  }

  @Test
  void theOpenBucketReachesTheLargestDurationAndNoEstimatePassesIt() {
    long[] counts = new long[LatencyHistogram.SLOTS];
    counts[0] = 1;
    counts[11] = 1;
    assertThat(new LatencyHistogram(counts, 0, 50_000).percentileMs(1.0)).isEqualTo(50_000);
    assertThat(new LatencyHistogram(counts, 0, 50_000).percentileMs(0.75)).isEqualTo(40_000);
    long[] one = new long[LatencyHistogram.SLOTS];
    one[0] = 1;
    assertThat(new LatencyHistogram(one, 3, 3).percentileMs(0.99)).isEqualTo(3);
  }

  @Test
  void nothingCountedHasNoEstimates() {
    LatencyHistogram empty = new LatencyHistogram(new long[LatencyHistogram.SLOTS], 0, 0);
    assertThat(empty.percentileMs(0.5)).isNull();
    assertThat(empty.meanMs()).isNull();
    assertThat(empty.largestMs()).isNull();
  }
}
