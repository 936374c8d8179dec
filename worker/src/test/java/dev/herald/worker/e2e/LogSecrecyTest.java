package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import dev.herald.testing.tls.TestPki;
import dev.herald.worker.e2e.HeraldHarness.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Neither endpoint secrets, nor endpoint credentials (client certificate keys among them), nor API keys, nor payload bodies appear in anything Herald logs, while
 * a tenant uses its key for everything a client does: create, rotate and test a subscription,
 * publish events that are delivered after a failing attempt, and send requests that fail.
 */
class LogSecrecyTest {

  @Test
  void noSecretKeyOrPayloadIsEverLogged() throws Exception {
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    String marker = "payload-marker-" + UUID.randomUUID();
    String password = "pw_" + UUID.randomUUID();
    List<String> secrets = new ArrayList<>();
    try (HeraldHarness herald = new HeraldHarness();
        LoopbackReceiver receiver = LoopbackReceiver.start()) {
      LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
      Logger root = logging.getLogger(Logger.ROOT_LOGGER_NAME);
      Logger herald0 = logging.getLogger("dev.herald");
      Level heraldLevel = herald0.getLevel();
      // Herald's own debug lines too, as an operator chasing a problem would switch them on;
      // libraries stay at the configured level (HttpClient's wire log at DEBUG shows bodies).
      herald0.setLevel(Level.DEBUG);
      captured.setContext(logging);
      captured.start();
      root.addAppender(captured);
      try {
        secrets.add(herald.apiKey);
        secrets.add(password);
        // The event's first attempt fails, echoing the payload, whenever it arrives relative to
        // the test message (which is sent asynchronously); everything else is accepted.
        receiver.setDefault(
            request ->
                request.bodyUtf8().contains(marker) && "1".equals(request.header("herald-attempt"))
                    ? ReceiverResponse.status(500).withBody("echo " + marker)
                    : ReceiverResponse.status(204));

        Response created =
            herald.call("POST", "/v1/subscriptions",
                "{\"name\":\"logs\",\"url\":\"" + receiver.url("/hook") + "\",\"events\":[\"*\"],"
                    + "\"retrySchedule\":[1,1],\"auth\":{\"type\":\"basic\",\"username\":\"logs\","
                    + "\"password\":\"" + password + "\"}}");
        assertThat(created.status()).isEqualTo(201);
        // The other kinds of endpoint credentials, sent in on requests that are logged about.
        String apiKey = "ak_" + UUID.randomUUID();
        String clientSecret = "cs_" + UUID.randomUUID();
        secrets.add(apiKey);
        secrets.add(clientSecret);
        assertThat(herald.call("POST", "/v1/subscriptions",
            "{\"name\":\"logs-key\",\"url\":\"" + receiver.url("/key") + "\",\"events\":[\"never.*\"],"
                + "\"auth\":{\"type\":\"api-key\",\"header\":\"X-Api-Key\",\"value\":\"" + apiKey + "\"}}")
            .status()).isEqualTo(201);
        assertThat(herald.call("POST", "/v1/subscriptions",
            "{\"name\":\"logs-oauth\",\"url\":\"" + receiver.url("/oauth") + "\",\"events\":[\"never.*\"],"
                + "\"auth\":{\"type\":\"oauth2-client-credentials\",\"tokenUrl\":\"" + receiver.url("/token")
                + "\",\"clientId\":\"logs\",\"clientSecret\":\"" + clientSecret + "\"}}")
            .status()).isEqualTo(201);
        // A client certificate's private key, sent in on a good subscription and on a bad one
        // (another certificate's key) whose 422 names the field without echoing it.
        TestPki.Authority ca = TestPki.authority("Log CA");
        TestPki.Credential client = ca.client("logs");
        TestPki.Credential other = ca.client("other");
        secrets.add(client.keyPem().split("\n")[1]);
        secrets.add(other.keyPem().split("\n")[1]);
        for (TestPki.Credential key : List.of(client, other)) {
          com.fasterxml.jackson.databind.node.ObjectNode mtls = HeraldHarness.JSON.createObjectNode();
          mtls.put("name", "logs-mtls");
          mtls.put("url", "https://127.0.0.1:" + receiver.port() + "/mtls");
          mtls.putArray("events").add("never.*");
          mtls.putObject("auth").put("type", "mtls").put("certificate", client.certificatePem())
              .put("privateKey", key.keyPem());
          assertThat(herald.call("POST", "/v1/subscriptions", mtls.toString()).status())
              .isEqualTo(key == client ? 201 : 422);
        }
        // And a bad one, whose 422 names the field without echoing the value.
        herald.call("POST", "/v1/subscriptions",
            "{\"name\":\"logs-bad\",\"url\":\"" + receiver.url("/bad") + "\",\"events\":[\"*\"],"
                + "\"auth\":{\"type\":\"bearer\",\"token\":\"" + clientSecret + " x\"}}");
        String id = created.json().get("id").asText();
        secrets.add(created.json().get("secret").asText());
        Response rotated =
            herald.call("POST", "/v1/subscriptions/" + id + "/rotate-secret", "{\"graceSeconds\":60}");
        secrets.add(rotated.json().get("secret").asText());
        assertThat(herald.call("POST", "/v1/subscriptions/" + id + "/test", null).status())
            .isBetween(200, 202);

        Response published =
            herald.call("POST", "/v1/events",
                "{\"type\":\"order.paid\",\"data\":{\"note\":\"" + marker + "\"}}");
        assertThat(published.status()).isBetween(200, 202);
        String eventId = published.json().get("id").asText();
        JsonNode delivered =
            herald.awaitJson("/v1/deliveries?eventId=" + eventId,
                d -> d.get("data").size() == 1
                    && d.get("data").get(0).get("status").asText().equals("succeeded"),
                Duration.ofSeconds(30));
        String deliveryId = delivered.get("data").get(0).get("id").asText();
        assertThat(herald.call("GET", "/v1/deliveries/" + deliveryId, null).json().get("attempts"))
            .extracting(a -> a.get("statusCode").asInt())
            .containsExactly(500, 204);

        // Requests that fail on the way in, carrying the same strings.
        herald.call("POST", "/v1/events", "{\"type\":\"order.paid\",\"data\":{\"note\":\"" + marker + "\"",
            herald.apiKey, "application/json");
        herald.call("POST", "/v1/events", "{\"type\":\"" + marker + "\",\"data\":{}}");
        herald.call("GET", "/v1/subscriptions", null, herald.apiKey + "x", null);
        herald.call("POST", "/v1/subscriptions/" + id + "/rotate-secret",
            "{\"graceSeconds\":\"" + secrets.get(1) + "\"}");
        // Proves the capture: a line logged now must be among those checked.
        LoggerFactory.getLogger("dev.herald.canary").info("canary {}", eventId);
      } finally {
        root.detachAppender(captured);
        herald0.setLevel(heraldLevel);
      }
    }

    assertThat(captured.list)
        .extracting(ILoggingEvent::getLoggerName)
        .as("the capture works")
        .contains("dev.herald.canary");
    // Herald's own lines about what happened: each attempt, each refused request.
    assertThat(captured.list)
        .filteredOn(e -> e.getLoggerName().startsWith("dev.herald.")
            && !e.getLoggerName().equals("dev.herald.canary"))
        .extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(m -> assertThat(m).startsWith("attempt 1 of ").contains("HTTP 500"))
        .anySatisfy(m -> assertThat(m).startsWith("answered 422 invalid_request"))
        .anySatisfy(m -> assertThat(m).startsWith("answered 401"));
    List<String> needles = new ArrayList<>(List.of(marker));
    for (String secret : secrets) {
      needles.add(secret);
      // the part that matters, in case a prefix were cut off or the text re-encoded
      needles.add(secret.substring(secret.indexOf('_') + 1));
    }
    System.out.printf("%d log lines checked for %d strings%n", captured.list.size(), needles.size());
    for (ILoggingEvent event : captured.list) {
      String text = everythingIn(event);
      for (String needle : needles) {
        assertThat(text).as("a line of %s", event.getLoggerName()).doesNotContain(needle);
      }
    }
  }

  /** The message, its arguments, the MDC and every throwable in the chain, with stack frames. */
  private static String everythingIn(ILoggingEvent event) {
    StringBuilder text = new StringBuilder(event.getFormattedMessage());
    if (event.getArgumentArray() != null) {
      for (Object argument : event.getArgumentArray()) {
        text.append('\n').append(argument);
      }
    }
    text.append('\n').append(event.getMDCPropertyMap());
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      text.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
      for (IThrowableProxy suppressed : t.getSuppressed()) {
        text.append('\n').append(suppressed.getMessage());
      }
      for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
        text.append('\n').append(frame.getSTEAsString());
      }
    }
    return text.toString();
  }
}
