package dev.herald.activities.http;

import static dev.herald.activities.http.Webhooks.errorCode;
import static dev.herald.activities.http.Webhooks.post;
import static dev.herald.activities.http.Webhooks.timed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hard deadline and the body limit: endpoints that are slow on purpose cannot hold an attempt
 * past its budget (plus a small margin), whatever stage of the exchange they stall in.
 */
class WebhookSenderDeadlineTest {

  private final WebhookSender sender = Webhooks.sender(8);
  private final LoopbackReceiver receiver = LoopbackReceiver.start();

  @AfterEach
  void tearDown() {
    sender.close();
    receiver.close();
  }

  @Test
  void aHangingEndpointIsCutAtTheDeadline() {
    receiver.enqueue(ReceiverResponse.hang());

    long elapsed =
        timed(
            () ->
                assertThat(errorCode(sender.send(post(receiver.url(), Duration.ofSeconds(1)))))
                    .isEqualTo("timeout"));

    assertThat(elapsed).isBetween(900L, 1500L);
  }

  @Test
  void slowDripIsCutAtTheDeadline() {
    receiver.enqueue(ReceiverResponse.dripBody());
    HttpExchange[] result = new HttpExchange[1];

    long elapsed =
        timed(() -> result[0] = sender.send(post(receiver.url(), Duration.ofSeconds(2))));

    assertThat(elapsed).isBetween(1900L, 3000L);
    assertThat(result[0].statusCode()).as("the status line did arrive").isEqualTo(200);
    assertThat(errorCode(result[0])).isEqualTo("timeout");
    assertThat(OutcomeClassifier.classify(result[0], Instant.now()).success()).isFalse();
  }

  @Test
  void aDrippedStatusLineIsCutAtTheDeadline() {
    receiver.enqueue(ReceiverResponse.dripStatusLine());
    HttpExchange[] result = new HttpExchange[1];

    long elapsed =
        timed(() -> result[0] = sender.send(post(receiver.url(), Duration.ofSeconds(2))));

    assertThat(elapsed).isBetween(1900L, 3000L);
    assertThat(result[0].statusCode()).isNull();
    assertThat(errorCode(result[0])).isEqualTo("timeout");
  }

  @Test
  void onlyTheFirstFourKibibytesOfAHugeBodyAreRead() {
    receiver.enqueue(ReceiverResponse.hugeBody(50L * 1024 * 1024));
    HttpExchange[] result = new HttpExchange[1];

    long elapsed =
        timed(() -> result[0] = sender.send(post(receiver.url(), Duration.ofSeconds(10))));

    assertThat(result[0].failure()).isNull();
    assertThat(result[0].statusCode()).isEqualTo(200);
    assertThat(result[0].responseBody()).hasSize(4096).matches("x+");
    assertThat(elapsed).isLessThan(2000L);
  }

  @Test
  void anEndlessBodyIsReadOnlyToItsFirstFourKibibytesAndTheAttemptEndsEarly() throws Exception {
    try (RawLoopbackPeer peer =
        RawLoopbackPeer.endless(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
            "400\r\n" + "y".repeat(1024) + "\r\n")) {
      HttpExchange[] result = new HttpExchange[1];

      long elapsed = timed(() -> result[0] = sender.send(post(peer.httpUrl(), Duration.ofSeconds(3))));

      System.out.printf("endless chunked body: attempt ended after %d ms (budget 3000)%n", elapsed);
      assertThat(result[0].failure()).isNull();
      assertThat(result[0].responseBody()).hasSize(4096).matches("y+");
      assertThat(elapsed).isLessThan(2000L);
      assertThat(sender.poolStats().getLeased()).isZero();
    }
  }

  @Test
  void anEndlessHeaderBlockFailsTheAttemptLongBeforeTheDeadline() throws Exception {
    try (RawLoopbackPeer peer =
        RawLoopbackPeer.endless("HTTP/1.1 200 OK\r\n", "X-Filler: " + "z".repeat(100) + "\r\n")) {
      HttpExchange[] result = new HttpExchange[1];

      long elapsed = timed(() -> result[0] = sender.send(post(peer.httpUrl(), Duration.ofSeconds(3))));

      System.out.printf("endless header block: attempt ended after %d ms (budget 3000)%n", elapsed);
      assertThat(result[0].statusCode()).isNull();
      assertThat(errorCode(result[0])).isEqualTo("connection_error");
      assertThat(elapsed).isLessThan(2000L);
    }
  }

  @Test
  void anEndlessHeaderLineFailsTheAttemptLongBeforeTheDeadline() throws Exception {
    try (RawLoopbackPeer peer = RawLoopbackPeer.endless("HTTP/1.1 200 OK\r\nX-Huge: ", "h")) {
      HttpExchange[] result = new HttpExchange[1];

      long elapsed = timed(() -> result[0] = sender.send(post(peer.httpUrl(), Duration.ofSeconds(3))));

      System.out.printf("endless header line: attempt ended after %d ms (budget 3000)%n", elapsed);
      assertThat(result[0].statusCode()).isNull();
      assertThat(errorCode(result[0])).isEqualTo("connection_error");
      assertThat(elapsed).isLessThan(2000L);
    }
  }

  @Test
  void aHundredMegabyteResponseDoesNotRaiseTheHeap() {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long me = Thread.currentThread().getId();
    // The first exchange loads and initialises classes; only a warm one is measured.
    receiver.enqueue(ReceiverResponse.hugeBody(1024 * 1024));
    sender.send(post(receiver.url(), Duration.ofSeconds(10)));
    receiver.enqueue(ReceiverResponse.hugeBody(100L * 1024 * 1024));
    HttpExchange[] result = new HttpExchange[1];

    long before = threads.getThreadAllocatedBytes(me);
    long elapsed =
        timed(() -> result[0] = sender.send(post(receiver.url(), Duration.ofSeconds(10))));
    long allocated = threads.getThreadAllocatedBytes(me) - before;

    System.out.printf(
        "100 MB response: %d bytes allocated by the sending thread, %d ms%n", allocated, elapsed);
    assertThat(result[0].statusCode()).isEqualTo(200);
    assertThat(result[0].responseBody()).hasSize(4096);
    assertThat(allocated).isLessThan(16L * 1024 * 1024);
  }

  @Test
  void aStalledTlsHandshakeIsCutAtTheDeadline() throws Exception {
    try (RawLoopbackPeer peer = RawLoopbackPeer.silent()) {
      HttpExchange[] result = new HttpExchange[1];

      long elapsed =
          timed(() -> result[0] = sender.send(post(peer.httpsUrl(), Duration.ofSeconds(1))));

      assertThat(elapsed).isBetween(900L, 1500L);
      assertThat(errorCode(result[0])).isEqualTo("timeout");
    }
  }

  @Test
  void waitingForAPooledConnectionCountsAgainstTheDeadline() throws Exception {
    receiver.enqueue(ReceiverResponse.hang());
    try (WebhookSender oneConnection = Webhooks.sender(1)) {
      ExecutorService background = Executors.newSingleThreadExecutor();
      try {
        background.submit(() -> oneConnection.send(post(receiver.url(), Duration.ofSeconds(5))));
        receiver.awaitRequests(1, Duration.ofSeconds(5));
        HttpExchange[] result = new HttpExchange[1];

        long elapsed =
            timed(
                () -> result[0] = oneConnection.send(post(receiver.url(), Duration.ofMillis(500))));

        assertThat(elapsed).isBetween(400L, 1000L);
        assertThat(errorCode(result[0])).isEqualTo("timeout");
      } finally {
        background.shutdownNow();
      }
    }
  }

  @Test
  void noConnectionIsLeakedWhateverTheOutcome() {
    List.of(
            ReceiverResponse.hang(),
            ReceiverResponse.dripBody(Duration.ofMillis(50)),
            ReceiverResponse.hugeBody(1024 * 1024),
            ReceiverResponse.reset(),
            ReceiverResponse.status(200))
        .forEach(receiver::enqueue);

    for (int i = 0; i < 5; i++) {
      sender.send(post(receiver.url(), Duration.ofMillis(500)));
    }

    assertThat(sender.poolStats().getLeased()).isZero();
    assertThat(receiver.requests()).hasSize(5);
  }
}
