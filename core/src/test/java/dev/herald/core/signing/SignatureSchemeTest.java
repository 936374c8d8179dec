package dev.herald.core.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each signature scheme, verified by receiver code written the way the platforms document it: in
 * Java ({@link PlatformVerifier}) and in Node ({@code verifiers/verify.mjs}, {@code
 * crypto.createHmac} and {@code timingSafeEqual} over the raw body), including a rotation's grace
 * and a five-minute timestamp tolerance.
 */
class SignatureSchemeTest {

  private static final String NEW = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String OLD = "whsec_3Vq0dKvbsXkH8dXB0AbC1dEfGh2IjKlM";
  private static final String STRANGER = "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  private static final long T = 1_796_083_215L;
  // Not ASCII, and with bytes that no text decoding round-trips: the raw bytes are what is signed.
  private static final byte[] BODY =
      "{\"id\":\"evt_1\",\"data\":{\"name\":\"Zoë ✓\"}}".getBytes(StandardCharsets.UTF_8);

  @Test
  void timestampedHexIsOneHeaderWithTheTimeAndOneSignaturePerSecret() {
    List<SignatureHeader> headers =
        SignatureScheme.of("timestamped-hex", "X-Atelier-Signature", null).sign(List.of(NEW, OLD), "evt_1", T, BODY);

    assertThat(headers).hasSize(1);
    assertThat(headers.get(0).name()).isEqualTo("X-Atelier-Signature");
    assertThat(headers.get(0).value()).matches("t=" + T + ",v1=[0-9a-f]{64},v1=[0-9a-f]{64}");
  }

  @Test
  void timestampedHexVerifiesWithEitherSecretDuringAGraceAndNotWithAnother() throws Exception {
    String header = value(SignatureScheme.of("timestamped-hex", null, null).sign(List.of(NEW, OLD), "evt_1", T, BODY));

    for (String secret : List.of(NEW, OLD)) {
      assertThat(PlatformVerifier.timestampedHex(secret, header, BODY, T + 10)).isTrue();
      assertThat(node("timestamped-hex", secret, header, BODY, Long.toString(T + 10))).isEqualTo("valid");
    }
    assertThat(PlatformVerifier.timestampedHex(STRANGER, header, BODY, T)).isFalse();
    assertThat(node("timestamped-hex", STRANGER, header, BODY, Long.toString(T))).isEqualTo("no signature matches");
  }

  @Test
  void timestampedHexIsRefusedOutsideFiveMinutesAndWhenTheBodyChanged() throws Exception {
    String header = value(SignatureScheme.of("timestamped-hex", null, null).sign(List.of(NEW), "evt_1", T, BODY));

    assertThat(PlatformVerifier.timestampedHex(NEW, header, BODY, T + 299)).isTrue();
    assertThat(node("timestamped-hex", NEW, header, BODY, Long.toString(T + 299))).isEqualTo("valid");
    assertThat(PlatformVerifier.timestampedHex(NEW, header, BODY, T + 301)).isFalse();
    assertThat(node("timestamped-hex", NEW, header, BODY, Long.toString(T + 301)))
        .isEqualTo("timestamp outside the tolerance");
    byte[] tampered = BODY.clone();
    tampered[tampered.length - 2] ^= 1;
    assertThat(PlatformVerifier.timestampedHex(NEW, header, tampered, T)).isFalse();
    assertThat(node("timestamped-hex", NEW, header, tampered, Long.toString(T))).isEqualTo("no signature matches");
  }

  @Test
  void rawBodyHexCarriesItsPrefixAndOnlyTheNewestSecretSigns() throws Exception {
    List<SignatureHeader> headers =
        SignatureScheme.of("hmac-sha256-hex", "X-Hub-Signature-256", "sha256=").sign(List.of(NEW, OLD), "evt_1", T, BODY);

    assertThat(headers).extracting(SignatureHeader::name).containsExactly("X-Hub-Signature-256");
    String header = value(headers);
    assertThat(header).matches("sha256=[0-9a-f]{64}");
    assertThat(PlatformVerifier.rawBodyHex(NEW, header, BODY, "sha256=")).isTrue();
    assertThat(node("hmac-sha256-hex", NEW, header, BODY, "sha256=")).isEqualTo("valid");
    assertThat(PlatformVerifier.rawBodyHex(OLD, header, BODY, "sha256=")).isFalse();
    assertThat(node("hmac-sha256-hex", OLD, header, BODY, "sha256=")).isEqualTo("signature does not match");
  }

  @Test
  void rawBodyHexWithoutAPrefixIsTheBareHexInHeraldSignature() throws Exception {
    List<SignatureHeader> headers = SignatureScheme.of("hmac-sha256-hex", null, null).sign(List.of(NEW), "evt_1", T, BODY);

    assertThat(headers.get(0).name()).isEqualTo("Herald-Signature");
    assertThat(headers.get(0).value()).matches("[0-9a-f]{64}");
    assertThat(node("hmac-sha256-hex", NEW, headers.get(0).value(), BODY, "")).isEqualTo("valid");
  }

  @Test
  void theHexSchemesSignWithTheSecretTextItselfNotItsBase64Key() {
    String header = value(SignatureScheme.of("hmac-sha256-hex", null, null).sign(List.of(NEW), "evt_1", T, BODY));
    String keyedWithDecodedBytes = WebhookSigner.sign(NEW, "evt_1", T, BODY);

    assertThat(header).isNotEqualTo(keyedWithDecodedBytes);
    assertThat(PlatformVerifier.rawBodyHex(NEW, header, BODY, "")).isTrue();
  }

  @Test
  void standardWebhooksIsTodaysThreeHeadersAndAStandardLibraryVerifiesIt() throws Exception {
    List<SignatureHeader> headers =
        SignatureScheme.of(null, null, null).sign(List.of(NEW, OLD), "evt_1", T, BODY);

    assertThat(headers).extracting(SignatureHeader::name)
        .containsExactly("webhook-id", "webhook-timestamp", "webhook-signature");
    assertThat(value(headers.subList(2, 3))).isEqualTo(WebhookSigner.signatureHeader(List.of(NEW, OLD), "evt_1", T, BODY));
    // The library checks the timestamp against its clock: sign at the current time for it.
    long now = System.currentTimeMillis() / 1000;
    List<SignatureHeader> fresh = SignatureScheme.of("standard-webhooks", null, null).sign(List.of(OLD), "evt_1", now, BODY);
    new Webhook(OLD).verify(new String(BODY, StandardCharsets.UTF_8), HttpHeaders.of(
        fresh.stream().collect(Collectors.toMap(SignatureHeader::name, h -> List.of(h.value()))), (a, b) -> true));
  }

  @Test
  void noneSendsNoSignature() {
    assertThat(SignatureScheme.of("none", null, null).sign(List.of(NEW), "evt_1", T, BODY)).isEmpty();
  }

  @Test
  void aSchemeIsNamedAndCheckedWhenASubscriptionIsSaved() {
    assertThat(SignatureScheme.of(null, null, null)).isEqualTo(new SignatureScheme.StandardWebhooks());
    assertThat(SignatureScheme.of("timestamped-hex", null, null))
        .isEqualTo(new SignatureScheme.TimestampedHex("Herald-Signature"));
    assertThat(SignatureScheme.of("hmac-sha256-hex", "X-Sig", "sha256="))
        .isEqualTo(new SignatureScheme.RawBodyHex("X-Sig", "sha256="));

    assertThatThrownBy(() -> SignatureScheme.of("md5", null, null))
        .hasMessageContaining("scheme must be one of standard-webhooks, timestamped-hex, hmac-sha256-hex, none");
    assertThatThrownBy(() -> SignatureScheme.of("standard-webhooks", "X-Sig", null))
        .hasMessageContaining("header applies to timestamped-hex and hmac-sha256-hex only");
    assertThatThrownBy(() -> SignatureScheme.of("timestamped-hex", "X Sig", "v1="))
        .hasMessageContaining("header must be an HTTP token")
        .hasMessageContaining("prefix applies to hmac-sha256-hex only");
    assertThatThrownBy(() -> SignatureScheme.of("hmac-sha256-hex", null, "sha 256="))
        .hasMessageContaining("prefix must be at most 32 visible ASCII characters");
  }

  private static String value(List<SignatureHeader> headers) {
    assertThat(headers).hasSize(1);
    return headers.get(0).value();
  }

  /** Runs the Node verifier and returns the one line it printed. */
  private static String node(String scheme, String secret, String header, byte[] body, String extra) {
    return NodeVerifier.verify(scheme, secret, header, body, extra);
  }

}
