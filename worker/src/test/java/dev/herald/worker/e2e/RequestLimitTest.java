package dev.herald.worker.e2e;

import static dev.herald.worker.e2e.ApiContractTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The request body limit is configuration ({@code delivery.maxRequestBytes}), not a constant. */
class RequestLimitTest {

  private static HeraldHarness herald;

  @BeforeAll
  static void start() throws Exception {
    herald = new HeraldHarness(ConfigOverride.config("delivery.maxRequestBytes", "1024"));
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @Test
  void aBodyOverTheConfiguredLimitIsRefusedAndOneUnderItIsAccepted() throws Exception {
    String over = "{\"type\":\"a\",\"data\":{\"x\":\"" + "a".repeat(1100) + "\"}}";
    assertProblem(herald.call("POST", "/v1/events", over), 413, "payload_too_large");
    String under = "{\"type\":\"a\",\"data\":{\"x\":\"" + "a".repeat(900) + "\"}}";
    assertThat(herald.call("POST", "/v1/events", under).status()).isEqualTo(202);
    assertProblem(herald.call("POST", "/v1/subscriptions",
        "{\"name\":\"" + "n".repeat(1100) + "\",\"url\":\"http://127.0.0.1:9/\",\"events\":[\"*\"]}"),
        413, "payload_too_large");
  }
}
