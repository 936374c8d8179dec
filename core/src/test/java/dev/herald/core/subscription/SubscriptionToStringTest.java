package dev.herald.core.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A subscription printed (a log line, an assertion message) shows none of its secrets. */
class SubscriptionToStringTest {

  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

  @Test
  void theSigningSecretsAuthAndSecretHeadersAreHidden() {
    Subscription s = subscription(
        new EndpointAuth.Bearer("bearer-canary-3"),
        new CustomHeaders(
            Map.of("X-Api-Key", "header-canary-4", "X-Team", "payments"), Set.of("X-Api-Key")),
        "whsec_current-canary-1", "whsec_previous-canary-2");

    String shown = s.toString();

    assertThat(shown)
        .doesNotContain("current-canary-1", "previous-canary-2", "bearer-canary-3", "header-canary-4")
        .contains("secret=hidden", "previousSecret=hidden", "Bearer[token hidden]")
        // What is not secret is still there to read.
        .contains("id=sub_1", "url=https://example.com/hook", "X-Team=payments", "isPaused=false");
  }

  @Test
  void basicAndApiKeyCredentialsAreHiddenAndAMissingPreviousSecretShowsAsNull() {
    String basic = subscription(new EndpointAuth.Basic("ops", "basic-canary-5"), CustomHeaders.NONE,
        "whsec_current-canary-6", null).toString();
    String apiKey = subscription(new EndpointAuth.ApiKey("X-Key", "apikey-canary-7"),
        CustomHeaders.NONE, "whsec_current-canary-8", null).toString();

    assertThat(basic).doesNotContain("basic-canary-5", "current-canary-6")
        .contains("previousSecret=null", "Basic[ops, password hidden]");
    assertThat(apiKey).doesNotContain("apikey-canary-7", "current-canary-8")
        .contains("ApiKey[X-Key, value hidden]");
  }

  private static Subscription subscription(
      EndpointAuth auth, CustomHeaders headers, String secret, String previousSecret) {
    return new Subscription("sub_1", "ten_1", "orders", "https://example.com/hook",
        List.of("order.*"), Map.of(), headers, List.of(5, 300), 30, 0, 0, WireFormat.DEFAULT,
        auth, secret, previousSecret, previousSecret == null ? null : NOW.plusSeconds(3600), true,
        false, null, null, 0, null, null, NOW, NOW, Subscription.Kind.SUBSCRIPTION);
  }
}
