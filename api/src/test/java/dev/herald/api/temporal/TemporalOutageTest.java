package dev.herald.api.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.config.TemporalConfig;
import dev.herald.model.DeliveryInput;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With Temporal unreachable, what an API request asks of it gives up within seconds: the request
 * is answered, and the sweeper does the rest later. (The SDK's own retries last a minute per call,
 * so publishing an event with five deliveries used to take five minutes.)
 */
@Timeout(30)
class TemporalOutageTest {

  private static final Duration ONE_CALL =
      TemporalConnection.REQUEST_SYSTEM_INFO.plus(TemporalConnection.REQUEST_RETRY);

  private TemporalConnection temporal;

  @BeforeEach
  void connectToAClosedPort() throws IOException {
    TemporalConfig config = new TemporalConfig();
    try (ServerSocket s = new ServerSocket(0)) {
      config.address = "127.0.0.1:" + s.getLocalPort();
    }
    temporal = new TemporalConnection(config);
  }

  @AfterEach
  void close() {
    temporal.stop();
  }

  @Test
  void startingTwentyDeliveriesWaitsForNoneAndGivesUpAfterOneFailedStartPerThread() throws Exception {
    List<DeliveryInput> twenty = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      twenty.add(new DeliveryInput("dlv_outage_" + i, "ten_1", "sub_1", "order.paid",
          "https://example.com/hook", List.of(2, 2), 1));
    }
    Handoff handoff = new Handoff(temporal.requestClient(), 2, 20, 20, Clock.systemUTC());
    long started = System.nanoTime();
    handoff.start(twenty);
    Duration answered = Duration.ofNanos(System.nanoTime() - started);
    handoff.stop();
    Duration drained = Duration.ofNanos(System.nanoTime() - started);

    // The caller (a publish) waits for no start; the two threads wait out a failed start or two
    // each (the very first call may fail otherwise than as unreachable), then the rest are left
    // to the sweeper at once: a few starts' patience, not twenty.
    assertThat(answered).isLessThan(Duration.ofMillis(500));
    assertThat(drained).isLessThan(ONE_CALL.multipliedBy(3));
    assertThat(handoff.skippedStarts()).isGreaterThanOrEqualTo(16);
  }

  @Test
  void aReleaseAndASignalEachGiveUpWithinSeconds() {
    long started = System.nanoTime();
    Handoff handoff = new Handoff(temporal.requestClient(), 1, 20, 20, Clock.systemUTC());
    assertThat(handoff.release("sub_1")).isFalse();
    assertThat(handoff.retryNow("dlv_1")).isFalse();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(took).isLessThan(ONE_CALL.multipliedBy(3));
  }
}
