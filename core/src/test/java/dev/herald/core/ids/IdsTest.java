package dev.herald.core.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {

  @Test
  void idsCarryTheirKindAndSortByCreationTime() {
    String earlier = new Ids(Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC)).next("dlv");
    String later = new Ids(Clock.fixed(Instant.parse("2026-11-23T10:00:01Z"), ZoneOffset.UTC)).next("dlv");
    assertThat(earlier).startsWith("dlv_").hasSize(4 + 26);
    assertThat(earlier.compareTo(later)).isNegative();
  }

  @Test
  void idsMadeInTheSameMillisecondDiffer() {
    Ids ids = new Ids(Clock.fixed(Instant.now(), ZoneOffset.UTC));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertThat(seen.add(ids.next("evt"))).isTrue();
    }
  }
}
