package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.RecordedRequest;
import dev.herald.testing.receiver.ReceiverResponse;
import dev.herald.worker.e2e.HeraldHarness.Response;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Template bodies through HTTP: a template that does not compile is refused with its position;
 * one that fails or runs out of time for an event fails that delivery at once with error
 * {@code template}, sends nothing, and leaves the worker and the endpoint's record alone; every
 * attempt of a delivery sends the bytes its first attempt built, even when the template changes
 * between them; a preview shows a built-in format's body.
 */
class TemplateBodyEndToEndTest {

  @RegisterExtension static final ReceivingTenant tenant = new ReceivingTenant("template");

  @Test
  void aTemplateThatDoesNotCompileIsA422WithItsPositionAndSavesNothing() throws Exception {
    Response r = post("/v1/subscriptions", subscription(template("{\"order\": data.orderId,\n \"x\": }"), ""));
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.contentType()).startsWith("application/problem+json");
    JsonNode error = r.json().get("errors").get(0);
    assertThat(error.get("pointer").asText()).isEqualTo("/body/template");
    // JSONata's position: just past the token where it stopped (the "}" at offset 30).
    assertThat(error.get("message").asText()).contains("does not compile").contains("\"}\"")
        .contains("at position 31 (line 2, column 8)");

    assertThat(pointers(post("/v1/subscriptions", subscription("{\"format\":\"template\"}", ""))))
        .containsExactly("/body/template");
    assertThat(pointers(post("/v1/subscriptions",
        subscription("{\"format\":\"slack\",\"template\":\"data\"}", ""))))
        .containsExactly("/body/template");
    assertThat(tenant.call("GET", "/v1/subscriptions", null).json().get("data")).isEmpty();
  }

  @Test
  void aTemplateThatFailsForAnEventFailsThatDeliveryOnceWithErrorTemplate() throws Exception {
    JsonNode sub = create(template("{\"who\": $uppercase(data.customer)}"), ",\"retrySchedule\":[1,1,1]");

    String eventId = publish("{\"customer\":{\"name\":\"Zoë\"}}");
    JsonNode delivery = awaitFinished(eventId);

    assertThat(delivery.get("status").asText()).isEqualTo("failed");
    JsonNode attempts = tenant.call("GET", "/v1/deliveries/" + delivery.get("id").asText(), null)
        .json().get("attempts");
    assertThat(attempts).hasSize(1);
    JsonNode attempt = attempts.get(0);
    assertThat(attempt.get("error").asText()).isEqualTo("template");
    assertThat(attempt.get("statusCode").isNull()).isTrue();
    assertThat(attempt.get("responseBody").asText()).contains("uppercase");
    Thread.sleep(2500);
    assertThat(tenant.receiver().requests()).as("nothing is sent, and it is not retried").isEmpty();
    assertThat(tenant.call("GET", "/v1/deliveries/" + delivery.get("id").asText(), null)
        .json().get("attempts")).hasSize(1);
    JsonNode after = get(sub);
    assertThat(after.get("consecutiveFailures").asInt()).as("the endpoint is not blamed").isZero();
    assertThat(after.get("isActive").asBoolean()).isTrue();
    assertThat(after.get("lastDeliveryAt").isNull()).as("nothing was delivered").isTrue();

    // The same template works for an event it fits: the worker went on.
    String fits = publish("{\"customer\":\"zoë\"}");
    assertThat(awaitFinished(fits).get("status").asText()).isEqualTo("succeeded");
    assertThat(tenant.receiver().requests().get(0).bodyUtf8()).isEqualTo("{\"who\":\"ZOË\"}");
  }

  @Test
  void aTemplateThatRunsPastItsLimitsIsRecordedAsATemplateError() throws Exception {
    // 10 billion steps: stopped by the time limit or by the allocation limit, whichever first.
    create(template("{\"n\": $sum([1..100000].($sum([1..100000].($ * 2))))}"), "");

    JsonNode delivery = awaitFinished(publish("{}"));

    JsonNode attempt = tenant.call("GET", "/v1/deliveries/" + delivery.get("id").asText(), null)
        .json().get("attempts").get(0);
    assertThat(attempt.get("error").asText()).isEqualTo("template");
    assertThat(attempt.get("responseBody").asText())
        .matches("the template (ran longer than 250 ms|allocated more than 64 MiB)");
    assertThat(attempt.get("durationMs").asLong()).isLessThan(5_000);
  }

  @Test
  void everyAttemptSendsTheBytesTheFirstBuiltEvenAfterTheTemplateChanges() throws Exception {
    tenant.receiver().enqueue(ReceiverResponse.status(503));
    // $millis() differs on every rendering: only the kept body makes both attempts equal.
    JsonNode sub = create(template("{\"order\": data.orderId, \"renderedAt\": $millis()}"),
        ",\"retrySchedule\":[3]");

    String eventId = publish("{\"orderId\":\"981\"}");
    RecordedRequest first = tenant.receiver().awaitRequests(1, Duration.ofSeconds(20)).get(0);
    Response patched = tenant.call("PATCH", "/v1/subscriptions/" + sub.get("id").asText(),
        "{\"body\":" + template("{\"changed\": true}") + "}");
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.json().get("body").get("template").asText()).isEqualTo("{\"changed\": true}");
    RecordedRequest second = tenant.receiver().awaitRequests(2, Duration.ofSeconds(20)).get(1);

    assertThat(second.body()).isEqualTo(first.body());
    assertThat(first.bodyUtf8()).startsWith("{\"order\":\"981\",\"renderedAt\":");
    assertThat(awaitFinished(eventId).get("status").asText()).isEqualTo("succeeded");

    // A new event takes the new template.
    publish("{\"orderId\":\"982\"}");
    assertThat(tenant.receiver().awaitRequests(3, Duration.ofSeconds(20)).get(2).bodyUtf8())
        .isEqualTo("{\"changed\":true}");
  }

  @Test
  void aPreviewShowsABuiltInFormatsBodyAndATemplatesFailure() throws Exception {
    JsonNode slack = create("{\"format\":\"slack\"}", ",\"signature\":{\"scheme\":\"none\"}");
    Response preview = post("/v1/subscriptions/" + slack.get("id").asText() + "/preview",
        "{\"id\":\"evt_pv\",\"type\":\"order.paid\",\"data\":{\"orderId\":\"981\"}}");
    assertThat(preview.status()).isEqualTo(200);
    JsonNode body = HeraldHarness.JSON.readTree(preview.json().get("body").asText());
    assertThat(body.get("text").asText()).contains("order.paid").contains("evt_pv");

    // A template tried on the subscription before it is saved: nothing about it changes.
    String path = "/v1/subscriptions/" + slack.get("id").asText() + "/preview";
    Response tried = post(path, "{\"type\":\"order.paid\",\"data\":{\"orderId\":\"981\"},"
        + "\"with\":{\"method\":\"PUT\",\"body\":" + template("{\"order\": data.orderId}") + "}}");
    assertThat(tried.status()).as("%s", tried.json()).isEqualTo(200);
    assertThat(tried.json().get("method").asText()).isEqualTo("PUT");
    assertThat(tried.json().get("body").asText()).isEqualTo("{\"order\":\"981\"}");
    assertThat(get(slack).get("body").get("format").asText()).isEqualTo("slack");
    assertThat(pointers(post(path, "{\"type\":\"order.paid\",\"data\":{},"
        + "\"with\":{\"colour\":\"red\",\"body\":" + template("data.(") + "}}")))
        .containsExactlyInAnyOrder("/with/colour", "/with/body/template");

    JsonNode failing = create(template("$error('refused: ' & type)"), "");
    Response refused = post("/v1/subscriptions/" + failing.get("id").asText() + "/preview",
        "{\"type\":\"order.paid\",\"data\":{}}");
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json().get("code").asText()).isEqualTo("template_failed");
    assertThat(refused.json().get("detail").asText()).contains("refused: order.paid");
    assertThat(tenant.receiver().requests()).isEmpty();
  }

  private static String template(String source) throws Exception {
    return "{\"format\":\"template\",\"template\":" + HeraldHarness.JSON.writeValueAsString(source) + "}";
  }

  private String subscription(String body, String extra) {
    return "{\"name\":\"tpl\",\"url\":\"" + tenant.receiver().url() + "\",\"events\":[\"*\"],\"body\":" + body + extra + "}";
  }

  private JsonNode create(String body, String extra) throws Exception {
    Response r = post("/v1/subscriptions", subscription(body, extra));
    assertThat(r.status()).as("%s", r.json()).isEqualTo(201);
    return r.json();
  }

  private JsonNode get(JsonNode sub) throws Exception {
    return tenant.call("GET", "/v1/subscriptions/" + sub.get("id").asText(), null).json();
  }

  private Response post(String path, String body) throws Exception {
    return tenant.call("POST", path, body);
  }

  private String publish(String data) throws Exception {
    Response r = post("/v1/events", "{\"type\":\"order.paid\",\"data\":" + data + "}");
    assertThat(r.status()).as("%s", r.json()).isEqualTo(202);
    return r.json().get("id").asText();
  }

  private JsonNode awaitFinished(String eventId) throws Exception {
    JsonNode list =
        tenant.herald().awaitJson(
            "/v1/deliveries?eventId=" + eventId,
            d -> d.get("data").size() == 1
                && List.of("succeeded", "failed").contains(d.get("data").get(0).get("status").asText()),
            Duration.ofSeconds(30),
            tenant.key());
    return list.get("data").get(0);
  }

  private static List<String> pointers(Response r) {
    assertThat(r.status()).isEqualTo(422);
    return r.json().get("errors").findValuesAsText("pointer");
  }
}
