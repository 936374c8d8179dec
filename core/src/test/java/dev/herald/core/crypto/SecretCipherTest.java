package dev.herald.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String CONTEXT = "subscriptions/sub_1/secret";

  @Test
  void aSealedSecretOpensWithItsKeyAndShowsNothingOfIt() {
    SecretKeyRing keys = SecretKeyRing.generate();
    SecretCipher cipher = new SecretCipher(keys);
    String sealed = cipher.seal(SECRET, CONTEXT);
    assertThat(sealed).startsWith("hsec:v1:" + keys.currentId() + ":").doesNotContain(SECRET)
        .doesNotContain(SECRET.substring(6));
    assertThat(cipher.seal(SECRET, CONTEXT)).as("a fresh nonce each time").isNotEqualTo(sealed);
    assertThat(cipher.open(sealed, CONTEXT)).isEqualTo(SECRET);
    assertThat(cipher.seal(null, CONTEXT)).isNull();
    assertThat(cipher.open(null, CONTEXT)).isNull();
  }

  @Test
  void aSealedSecretDoesNotOpenInAnotherRowOrAfterTampering() {
    SecretCipher cipher = new SecretCipher(SecretKeyRing.generate());
    String sealed = cipher.seal(SECRET, CONTEXT);
    // Opened (and so remembered) in its own row first: that does not open it in another.
    assertThat(cipher.open(sealed, CONTEXT)).isEqualTo(SECRET);
    assertThatThrownBy(() -> cipher.open(sealed, "subscriptions/sub_2/secret"))
        .isInstanceOf(IllegalStateException.class);
    char last = sealed.charAt(sealed.length() - 2);
    String tampered = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A') + sealed.charAt(sealed.length() - 1);
    assertThatThrownBy(() -> cipher.open(tampered, CONTEXT)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aPreviousKeyOpensWhatItSealedAndOnlyTheCurrentOneSeals() {
    String oldKey = SecretKeyRing.newKey();
    String newKey = SecretKeyRing.newKey();
    SecretCipher before = new SecretCipher(SecretKeyRing.parse(oldKey, null));
    String sealedBefore = before.seal(SECRET, CONTEXT);

    SecretCipher during = new SecretCipher(SecretKeyRing.parse(newKey, oldKey));
    assertThat(during.open(sealedBefore, CONTEXT)).isEqualTo(SECRET);
    assertThat(during.needsResealing(sealedBefore)).isTrue();
    String resealed = during.seal(SECRET, CONTEXT);
    assertThat(during.needsResealing(resealed)).isFalse();

    SecretCipher after = new SecretCipher(SecretKeyRing.parse(newKey, null));
    assertThat(after.open(resealed, CONTEXT)).isEqualTo(SECRET);
    assertThatThrownBy(() -> after.open(sealedBefore, CONTEXT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(SecretKeyRing.parse(oldKey, null).currentId())
        .hasMessageContaining("HERALD_PREVIOUS_SECRET_KEYS");
  }

  @Test
  void aSecretStoredInClearBeforeEncryptionOpensAsItselfAndNeedsSealing() {
    SecretCipher cipher = new SecretCipher(SecretKeyRing.generate());
    assertThat(cipher.open(SECRET, CONTEXT)).isEqualTo(SECRET);
    assertThat(cipher.needsResealing(SECRET)).isTrue();
    assertThat(cipher.needsResealing(null)).isFalse();
  }

  @Test
  void aMissingOrMalformedKeyIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> SecretKeyRing.parse("", null)).hasMessageContaining("HERALD_SECRET_KEY");
    assertThatThrownBy(() -> SecretKeyRing.parse("not base64 at all!", null))
        .hasMessageContaining("not base64").hasMessageNotContaining("at all");
    String short16 = Base64.getEncoder().encodeToString(new byte[16]);
    assertThatThrownBy(() -> SecretKeyRing.parse(short16, null))
        .hasMessageContaining("32 bytes").hasMessageNotContaining(short16);
    String good = SecretKeyRing.newKey();
    assertThatThrownBy(() -> SecretKeyRing.parse(good, "bad,,"))
        .hasMessageContaining("HERALD_PREVIOUS_SECRET_KEYS");
    assertThat(SecretKeyRing.parse(good, null).toString()).doesNotContain(good);
  }
}
