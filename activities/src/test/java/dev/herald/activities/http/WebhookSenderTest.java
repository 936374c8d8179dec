package dev.herald.activities.http;

import static dev.herald.activities.http.Webhooks.BODY;
import static dev.herald.activities.http.Webhooks.HEADERS;
import static dev.herald.activities.http.Webhooks.USER_AGENT;
import static dev.herald.activities.http.Webhooks.errorCode;
import static dev.herald.activities.http.Webhooks.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.activities.http.WebhookRequest.Header;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import dev.herald.testing.receiver.RecordedRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What arrives at the endpoint, and what each kind of answer or failure comes back as. */
class WebhookSenderTest {

  private final WebhookSender sender = Webhooks.sender(8);
  private final LoopbackReceiver receiver = LoopbackReceiver.start();

  @AfterEach
  void tearDown() {
    sender.close();
    receiver.close();
  }

  @Test
  void successIsCapturedAndTheExactBytesAndHeadersArrive() throws Exception {
    receiver.enqueue(ReceiverResponse.status(200).withBody("thanks ✓"));

    HttpExchange exchange = sender.send(post(receiver.url("/hooks?x=1"), Duration.ofSeconds(5)));

    assertThat(exchange.failure()).isNull();
    assertThat(exchange.statusCode()).isEqualTo(200);
    assertThat(exchange.responseBody()).isEqualTo("thanks ✓");
    RecordedRequest arrived = receiver.takeRequest(Duration.ofSeconds(5));
    assertThat(arrived.method()).isEqualTo("POST");
    assertThat(arrived.path()).isEqualTo("/hooks?x=1");
    assertThat(arrived.body()).isEqualTo(BODY);
    assertThat(arrived.headerLines())
        .filteredOn(line -> HEADERS.stream().anyMatch(h -> h.name().equals(line.getKey())))
        .containsExactlyElementsOf(
            HEADERS.stream().map(h -> Map.entry(h.name(), h.value())).toList());
    assertThat(arrived.header("User-Agent")).isEqualTo(USER_AGENT);
    assertThat(arrived.header("Content-Length")).isEqualTo(String.valueOf(BODY.length));
    assertThat(arrived.headers("Accept-Encoding")).isEmpty();
    assertThat(arrived.headers("Cookie")).isEmpty();
  }

  @Test
  void noContentHasNoResponseBody() {
    receiver.enqueue(ReceiverResponse.status(204));

    HttpExchange exchange = sender.send(post(receiver.url(), Duration.ofSeconds(5)));

    assertThat(exchange.statusCode()).isEqualTo(204);
    assertThat(exchange.responseBody()).isNull();
    assertThat(OutcomeClassifier.classify(exchange, Instant.now()).success()).isTrue();
  }

  @Test
  void transportHeadersFromTheCallerAreIgnored() throws Exception {
    List<Header> sneaky =
        List.of(
            new Header("User-Agent", "curl/8"),
            new Header("Content-Length", "1"),
            new Header("Host", "evil.example"),
            new Header("Connection", "upgrade"));

    sender.send(
        new WebhookRequest(URI.create(receiver.url()), BODY, sneaky, Duration.ofSeconds(5)));

    RecordedRequest arrived = receiver.takeRequest(Duration.ofSeconds(5));
    assertThat(arrived.headers("User-Agent")).containsExactly(USER_AGENT);
    assertThat(arrived.headers("Content-Length")).containsExactly(String.valueOf(BODY.length));
    assertThat(arrived.headers("Host")).containsExactly("127.0.0.1:" + receiver.port());
    assertThat(arrived.body()).isEqualTo(BODY);
  }

  @Test
  void serviceUnavailableCarriesItsRetryAfter() {
    receiver.enqueue(
        ReceiverResponse.status(503).withHeader("Retry-After", "120").withBody("busy"));

    HttpExchange exchange = sender.send(post(receiver.url(), Duration.ofSeconds(5)));

    assertThat(exchange.statusCode()).isEqualTo(503);
    assertThat(exchange.retryAfter()).isEqualTo("120");
    assertThat(exchange.responseBody()).isEqualTo("busy");
    assertThat(OutcomeClassifier.classify(exchange, Instant.now()))
        .isEqualTo(new Classification(false, false, null, 120));
  }

  @Test
  void goneIsReported() {
    receiver.enqueue(ReceiverResponse.status(410));

    HttpExchange exchange = sender.send(post(receiver.url(), Duration.ofSeconds(5)));

    assertThat(OutcomeClassifier.classify(exchange, Instant.now()).gone()).isTrue();
  }

  @Test
  void redirectsAreNeverFollowed() {
    try (LoopbackReceiver target = LoopbackReceiver.start()) {
      receiver.enqueue(ReceiverResponse.redirect(302, target.url("/elsewhere")));

      HttpExchange exchange = sender.send(post(receiver.url(), Duration.ofSeconds(5)));

      assertThat(exchange.statusCode()).isEqualTo(302);
      assertThat(OutcomeClassifier.classify(exchange, Instant.now()).errorCode())
          .isEqualTo("redirect");
      // send() has returned, so a followed redirect would already have connected.
      assertThat(target.connectionCount()).isZero();
      assertThat(target.requests()).isEmpty();
    }
  }

  @Test
  void aClosedPortIsConnectionRefused() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }

    HttpExchange exchange =
        sender.send(post("http://127.0.0.1:" + closedPort + "/", Duration.ofSeconds(5)));

    assertThat(exchange.statusCode()).isNull();
    assertThat(errorCode(exchange)).isEqualTo("connection_refused");
  }

  @Test
  void aResetConnectionIsAConnectionError() {
    receiver.enqueue(ReceiverResponse.reset());

    HttpExchange exchange = sender.send(post(receiver.url(), Duration.ofSeconds(5)));

    assertThat(exchange.statusCode()).isNull();
    assertThat(errorCode(exchange)).isEqualTo("connection_error");
  }

  @Test
  void anUnresolvableHostIsADnsFailure() {
    // .invalid is reserved (RFC 6761): the lookup fails and nothing is ever sent.
    HttpExchange exchange =
        sender.send(post("http://herald-test.invalid/hooks", Duration.ofSeconds(5)));

    assertThat(errorCode(exchange)).isEqualTo("dns");
  }

  @Test
  void aPeerThatDoesNotSpeakTlsIsATlsFailure() throws Exception {
    try (RawLoopbackPeer peer = RawLoopbackPeer.speakingPlainHttp()) {
      HttpExchange exchange = sender.send(post(peer.httpsUrl(), Duration.ofSeconds(5)));

      assertThat(errorCode(exchange)).isEqualTo("tls");
    }
  }

  @Test
  void concurrentSendsShareOneClient() throws Exception {
    receiver.setDefault(ReceiverResponse.status(204));
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<HttpExchange>> sends =
          threads.invokeAll(
              java.util.Collections.nCopies(
                  16, () -> sender.send(post(receiver.url(), Duration.ofSeconds(5)))));
      for (Future<HttpExchange> send : sends) {
        assertThat(send.get().statusCode()).isEqualTo(204);
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(receiver.awaitRequests(16, Duration.ofSeconds(5))).hasSize(16);
  }
}
