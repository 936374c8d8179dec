package dev.herald.workflows.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecentAttemptIdsTest {

  @Test
  void anIdSeenBeforeIsRefusedAndTheCarriedOnesCount() {
    RecentAttemptIds ids = new RecentAttemptIds(List.of("att_1"));

    assertThat(ids.add("att_1")).isFalse();
    assertThat(ids.add("att_2")).isTrue();
    assertThat(ids.add("att_2")).isFalse();
    assertThat(ids.toList()).containsExactly("att_1", "att_2");
  }

  @Test
  void theWindowKeepsTheLatestThousandOldestFirst() {
    RecentAttemptIds ids = new RecentAttemptIds(null);
    for (int i = 0; i < RecentAttemptIds.CAPACITY + 5; i++) {
      ids.add("att_" + i);
    }

    List<String> kept = ids.toList();
    assertThat(kept).hasSize(RecentAttemptIds.CAPACITY);
    assertThat(kept.get(0)).isEqualTo("att_5");
    assertThat(ids.add("att_4")).as("forgotten, so counted again").isTrue();
    assertThat(ids.add("att_6")).isFalse();
  }
}
