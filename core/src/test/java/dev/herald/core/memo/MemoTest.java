package dev.herald.core.memo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoTest {

  private final List<String> computed = new ArrayList<>();

  private String shout(String input) {
    computed.add(input);
    if (input.equals("bad")) {
      throw new IllegalStateException("unreadable");
    }
    return input.toUpperCase();
  }

  @Test
  void computesEachInputOnceWhileRemembered() {
    Memo<String, String> memo = new Memo<>(10, this::shout);

    assertThat(memo.get("a")).isEqualTo("A");
    assertThat(memo.get("b")).isEqualTo("B");
    assertThat(memo.get("a")).isEqualTo("A");

    assertThat(computed).containsExactly("a", "b");
  }

  @Test
  void forgetsEverythingPastItsCapacityAndComputesAgain() {
    Memo<String, String> memo = new Memo<>(2, this::shout);
    memo.get("a");
    memo.get("b");

    memo.get("c");
    memo.get("a");

    assertThat(computed).containsExactly("a", "b", "c", "a");
    assertThat(memo.size()).isEqualTo(2);
  }

  @Test
  void aFailureIsThrownEveryTimeAndNotRemembered() {
    Memo<String, String> memo = new Memo<>(10, this::shout);

    assertThatThrownBy(() -> memo.get("bad")).hasMessage("unreadable");
    assertThatThrownBy(() -> memo.get("bad")).hasMessage("unreadable");

    assertThat(computed).containsExactly("bad", "bad");
    assertThat(memo.size()).isZero();
  }
}
