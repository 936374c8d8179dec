package dev.herald.activities.http;

import static dev.herald.activities.http.Webhooks.errorCode;
import static dev.herald.activities.http.Webhooks.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.subscription.EndpointAuth;
import dev.herald.testing.receiver.TlsReceiver;
import dev.herald.testing.receiver.TlsReceiver.Arrival;
import dev.herald.testing.tls.TestPki;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Mutual TLS at the sender: the client certificate is presented on the handshake, an endpoint
 * that requires one refuses a request without it as a {@code tls} failure, and the one connection
 * pool never lends a connection made with one credential to a request with another, or with none.
 */
class WebhookSenderMutualTlsTest {

  private static final TestPki.Authority CA = TestPki.authority("Sender Test CA");
  private static final TestPki.Credential SERVER = CA.server();
  private static final EndpointAuth.MutualTls ALICE = credential(CA.client("alice"));
  private static final EndpointAuth.MutualTls BOB = credential(CA.client("bob"));

  // Requests without a client certificate trust the test authority as the JVM's trust would a real one.
  private final WebhookSender sender =
      new WebhookSender(new WebhookSender.Settings(8, Webhooks.USER_AGENT), TestPki.trusting(CA.certificate()));
  private TlsReceiver receiver;

  @AfterEach
  void tearDown() {
    sender.close();
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void theClientCertificateIsPresentedAndARequestWithoutOneIsRefusedAsTls() throws Exception {
    receiver = TlsReceiver.start(SERVER.serverContext(CA.certificate()), true);

    HttpExchange accepted = sender.send(request("/alice", ALICE));
    HttpExchange refused = sender.send(post(receiver.url("/none"), Duration.ofSeconds(5)));

    assertThat(accepted.failure()).isNull();
    assertThat(accepted.statusCode()).isEqualTo(204);
    assertThat(refused.statusCode()).isNull();
    assertThat(errorCode(refused)).as("%s", refused.failure()).isEqualTo("tls");
    assertThat(receiver.arrivals()).extracting(Arrival::path, Arrival::clientSubject)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("/alice", "CN=alice,O=Herald Tests"));
  }

  @Test
  void aCertificateTheEndpointDoesNotTrustIsRefusedAsTls() throws Exception {
    TestPki.Authority stranger = TestPki.authority("Stranger CA");
    receiver = TlsReceiver.start(SERVER.serverContext(CA.certificate()), true);

    HttpExchange refused = sender.send(request("/mallory", credential(stranger.client("mallory"))));

    assertThat(errorCode(refused)).as("%s", refused.failure()).isEqualTo("tls");
    assertThat(receiver.arrivals()).isEmpty();
  }

  @Test
  void theCaBundleReplacesTheDefaultTrust() throws Exception {
    TestPki.Authority other = TestPki.authority("Other CA");
    receiver = TlsReceiver.start(SERVER.serverContext(CA.certificate()), true);
    TestPki.Credential carol = CA.client("carol");

    HttpExchange distrusted = sender.send(request("/carol",
        new EndpointAuth.MutualTls(carol.certificatePem(), carol.keyPem(), other.pem())));

    assertThat(errorCode(distrusted)).as("the server's certificate is not of the bundle's CA").isEqualTo("tls");
    assertThat(receiver.arrivals()).isEmpty();
  }

  @Test
  void pooledConnectionsAreNeverSharedBetweenCredentials() throws Exception {
    receiver = TlsReceiver.start(SERVER.serverContext(CA.certificate()), true);

    for (String round : List.of("1", "2", "3")) {
      assertThat(sender.send(request("/alice/" + round, ALICE)).statusCode()).isEqualTo(204);
      assertThat(sender.send(request("/bob/" + round, BOB)).statusCode()).isEqualTo(204);
      assertThat(errorCode(sender.send(post(receiver.url("/none/" + round), Duration.ofSeconds(5)))))
          .as("a request without a certificate never borrows a connection made with one").isEqualTo("tls");
    }

    List<Arrival> arrivals = receiver.arrivals();
    assertThat(arrivals).hasSize(6);
    for (Arrival a : arrivals) {
      assertThat(a.clientSubject()).as(a.path())
          .isEqualTo(a.path().startsWith("/alice") ? "CN=alice,O=Herald Tests" : "CN=bob,O=Herald Tests");
    }
    List<Integer> alicePorts = ports(arrivals, "/alice");
    List<Integer> bobPorts = ports(arrivals, "/bob");
    assertThat(alicePorts).as("alice's connection is reused").containsOnly(alicePorts.get(0));
    assertThat(bobPorts).as("bob's connection is reused").containsOnly(bobPorts.get(0));
    assertThat(alicePorts.get(0)).isNotEqualTo(bobPorts.get(0));
    assertThat(sender.cachedClientCertificates()).isEqualTo(2);
  }

  @Test
  void aRequestWithACertificateNeverBorrowsAConnectionMadeWithout() throws Exception {
    receiver = TlsReceiver.start(SERVER.serverContext(CA.certificate()), false);

    assertThat(sender.send(post(receiver.url("/none"), Duration.ofSeconds(5))).statusCode()).isEqualTo(204);
    assertThat(sender.send(request("/alice", ALICE)).statusCode()).isEqualTo(204);
    assertThat(sender.send(post(receiver.url("/none-again"), Duration.ofSeconds(5))).statusCode()).isEqualTo(204);

    List<Arrival> arrivals = receiver.arrivals();
    assertThat(arrivals).extracting(Arrival::clientSubject)
        .containsExactly(null, "CN=alice,O=Herald Tests", null);
    assertThat(arrivals.get(2).clientPort()).as("the plain connection is reused by a plain request")
        .isEqualTo(arrivals.get(0).clientPort());
  }

  private WebhookRequest request(String path, EndpointAuth.MutualTls credential) {
    return post(receiver.url(path), Duration.ofSeconds(5)).withClientCertificate(credential);
  }

  private static List<Integer> ports(List<Arrival> arrivals, String prefix) {
    return arrivals.stream().filter(a -> a.path().startsWith(prefix)).map(Arrival::clientPort).toList();
  }

  private static EndpointAuth.MutualTls credential(TestPki.Credential c) {
    return new EndpointAuth.MutualTls(c.certificatePem(), c.keyPem(), CA.pem());
  }
}
