package dev.herald.activities.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.junit.jupiter.api.Test;

class BoundedBodyTest {

  @Test
  void aBodyWithinTheLimitIsReadWhole() throws Exception {
    BoundedBody body = BoundedBody.read(entity("a".repeat(4096)));

    assertThat(body.text()).hasSize(4096);
    assertThat(body.complete()).isTrue();
  }

  @Test
  void aBodyOverTheLimitIsCutAndMarkedIncomplete() throws Exception {
    BoundedBody body = BoundedBody.read(entity("a".repeat(4097)));

    assertThat(body.text()).hasSize(4096);
    assertThat(body.complete()).isFalse();
  }

  @Test
  void anEmptyOrMissingBodyIsNull() throws Exception {
    assertThat(BoundedBody.read(entity(""))).isEqualTo(new BoundedBody(null, true));
    assertThat(BoundedBody.read(null)).isEqualTo(new BoundedBody(null, true));
  }

  @Test
  void malformedBytesBecomeReplacementCharacters() {
    byte[] bytes = {'o', 'k', (byte) 0xC3, '!', (byte) 0xFF};

    assertThat(BoundedBody.decode(bytes, bytes.length, false)).isEqualTo("ok\uFFFD!\uFFFD");
  }

  @Test
  void aCharacterSplitByTheCutIsDropped() throws Exception {
    BoundedBody body = BoundedBody.read(entity("a".repeat(4095) + "é")); // é is two bytes

    assertThat(body.text()).isEqualTo("a".repeat(4095));
  }

  @Test
  void aSplitCharacterAtTheRealEndIsReplacedNotDropped() {
    byte[] bytes = "abcé".getBytes(StandardCharsets.UTF_8);

    assertThat(BoundedBody.decode(bytes, bytes.length - 1, false)).isEqualTo("abc\uFFFD");
  }

  @Test
  void nulIsReplacedBecauseTextColumnsCannotHoldIt() {
    byte[] bytes = {'a', 0, 'b'};

    assertThat(BoundedBody.decode(bytes, bytes.length, false)).isEqualTo("a\uFFFDb");
  }

  private static ByteArrayEntity entity(String text) {
    return new ByteArrayEntity(text.getBytes(StandardCharsets.UTF_8), null);
  }
}
