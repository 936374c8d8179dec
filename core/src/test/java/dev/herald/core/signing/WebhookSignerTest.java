package dev.herald.core.signing;

import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long TIMESTAMP = 1614265330L;
  private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

  @Test
  void matchesTheStandardWebhooksTestVector() {
    assertThat(WebhookSigner.signatureHeader(List.of(SECRET), ID, TIMESTAMP, BODY))
        .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void signsWithEverySecretSpaceSeparated() {
    String other = WebhookSigner.newSecret();
    String header = WebhookSigner.signatureHeader(List.of(SECRET, other), ID, TIMESTAMP, BODY);
    assertThat(header.split(" "))
        .containsExactly(
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            "v1," + WebhookSigner.sign(other, ID, TIMESTAMP, BODY));
  }

  @Test
  void theOfficialLibraryAcceptsOurSignatureUnderANewSecret() throws Exception {
    String secret = WebhookSigner.newSecret();
    long now = System.currentTimeMillis() / 1000;
    String payload = "{\"id\":\"evt_1\",\"type\":\"order.paid\",\"data\":{\"a\":1}}";
    String signature =
        WebhookSigner.signatureHeader(
            List.of(secret), "evt_1", now, payload.getBytes(StandardCharsets.UTF_8));
    Map<String, List<String>> headers =
        Map.of(
            "webhook-id", List.of("evt_1"),
            "webhook-timestamp", List.of(Long.toString(now)),
            "webhook-signature", List.of(signature));
    new Webhook(secret).verify(payload, headers);
  }

  @Test
  void newSecretsAreTwentyFourRandomBytes() {
    String secret = WebhookSigner.newSecret();
    assertThat(secret).startsWith("whsec_");
    assertThat(java.util.Base64.getDecoder().decode(secret.substring(6))).hasSize(24);
    assertThat(WebhookSigner.newSecret()).isNotEqualTo(secret);
  }
}
