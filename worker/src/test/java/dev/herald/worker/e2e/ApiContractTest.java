package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.worker.e2e.HeraldHarness.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The REST contract of docs/openapi.yaml for what exists so far, driven over HTTP. */
class ApiContractTest {

  private static HeraldHarness herald;

  @BeforeAll
  static void start() throws Exception {
    herald = new HeraldHarness();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @Test
  void creatingASubscriptionReturnsItsSecretOnceAndDefaults() throws Exception {
    Response created =
        herald.call("POST", "/v1/subscriptions",
            "{\"name\":\"orders\",\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"order.*\"]}");
    assertThat(created.status()).isEqualTo(201);
    JsonNode s = created.json();
    assertThat(s.get("id").asText()).startsWith("sub_");
    assertThat(s.get("secret").asText()).startsWith("whsec_");
    assertThat(s.get("retrySchedule").toString()).isEqualTo("[5,300,1800,7200,18000,36000,36000]");
    assertThat(s.get("timeoutSeconds").asInt()).isEqualTo(5);
    assertThat(s.get("isActive").asBoolean()).isTrue();
    assertThat(s.get("isPaused").asBoolean()).isFalse();
    assertThat(s.get("disableAfter").get("failures").asInt()).isEqualTo(20);

    Response read = herald.call("GET", "/v1/subscriptions/" + s.get("id").asText(), null);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().has("secret")).isFalse();
    assertThat(read.json().get("createdAt").asText()).endsWith("Z");
  }

  @Test
  void maxRetriesAndDelayExpandIntoADoublingSchedule() throws Exception {
    Response created =
        herald.call("POST", "/v1/subscriptions",
            "{\"name\":\"x\",\"url\":\"http://127.0.0.1:9/\",\"events\":[\"*\"],"
                + "\"maxRetries\":4,\"retryDelaySeconds\":60}");
    assertThat(created.json().get("retrySchedule").toString()).isEqualTo("[60,120,240,480]");
  }

  @Test
  void everyInvalidFieldIsReportedWithItsPointer() throws Exception {
    Response r =
        herald.call("POST", "/v1/subscriptions",
            "{\"url\":42,\"events\":[\"Order Paid\"],\"timeoutSeconds\":31,"
                + "\"retrySchedule\":[0],\"headers\":{\"webhook-id\":\"x\"}}");
    assertProblem(r, 422, "invalid_request");
    assertThat(r.json().get("errors").findValuesAsText("pointer"))
        .contains("/name", "/url", "/events/0", "/timeoutSeconds", "/retrySchedule/0",
            "/headers/webhook-id");
  }

  @Test
  void aUrlThatIsNotAUrlIsInvalidUrl() throws Exception {
    Response r =
        herald.call("POST", "/v1/subscriptions",
            "{\"name\":\"x\",\"url\":\"ftp://127.0.0.1/\",\"events\":[\"*\"]}");
    assertProblem(r, 422, "invalid_url");
  }

  @Test
  void anInternalAddressIsRefusedEvenInDevelopment() throws Exception {
    Response r =
        herald.call("POST", "/v1/subscriptions",
            "{\"name\":\"x\",\"url\":\"http://169.254.169.254/latest\",\"events\":[\"*\"]}");
    assertProblem(r, 422, "blocked_address");
  }

  @Test
  void noKeyUnknownKeyAndMissingScopeAreRefused() throws Exception {
    Response noKey = herald.call("GET", "/v1/subscriptions/sub_x", null, null, null);
    assertProblem(noKey, 401, "unauthenticated");
    assertThat(noKey.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"herald\"");
    assertProblem(
        herald.call("GET", "/v1/subscriptions/sub_x", null, "hrk_unknown", null), 401, "unauthenticated");
  }

  @Test
  void anotherTenantsOrAMissingIdIsNotFound() throws Exception {
    assertProblem(herald.call("GET", "/v1/subscriptions/sub_nope", null), 404, "not_found");
    assertProblem(herald.call("GET", "/v1/events/evt_nope", null), 404, "not_found");
    assertProblem(herald.call("GET", "/v1/deliveries/dlv_nope", null), 404, "not_found");
  }

  @Test
  void jerseysOwnErrorsAreProblemDocumentsToo() throws Exception {
    assertProblem(herald.call("GET", "/v1/nothing-here", null), 404, "not_found");
    assertProblem(herald.call("DELETE", "/v1/events", null), 405, "method_not_allowed");
    assertProblem(
        herald.call("POST", "/v1/events", "type=x", herald.apiKey, "text/plain"), 415,
        "unsupported_media_type");
    assertProblem(herald.call("POST", "/v1/events", "{\"type\": \"order.paid\", "), 400, "invalid_json");
  }

  @Test
  void anEventMustHaveAValidTypeAndObjectData() throws Exception {
    Response r = herald.call("POST", "/v1/events", "{\"type\":\"Order Paid\",\"data\":[1]}");
    assertProblem(r, 422, "invalid_request");
    assertThat(r.json().get("errors").findValuesAsText("pointer")).containsExactly("/type", "/data");
  }

  @Test
  void aBodyOverTheLimitIsRefusedBeforeParsing() throws Exception {
    String huge = "{\"type\":\"a\",\"data\":{\"x\":\"" + "a".repeat(300 * 1024) + "\"}}";
    assertProblem(herald.call("POST", "/v1/events", huge), 413, "payload_too_large");
  }

  @Test
  void reusingAnEventIdWithAnotherBodyIsAConflict() throws Exception {
    Response first = herald.call("POST", "/v1/events",
        "{\"id\":\"evt_conflict\",\"type\":\"order.paid\",\"data\":{\"a\":1}}");
    assertThat(first.status()).isEqualTo(202);
    Response same = herald.call("POST", "/v1/events",
        "{\"id\":\"evt_conflict\",\"type\":\"order.paid\",\"data\":{\"a\":1}}");
    assertThat(same.status()).isEqualTo(202);
    assertThat(same.json()).isEqualTo(first.json());
    assertProblem(herald.call("POST", "/v1/events",
        "{\"id\":\"evt_conflict\",\"type\":\"order.paid\",\"data\":{\"a\":2}}"), 409, "conflict");
  }

  static void assertProblem(Response r, int status, String code) {
    assertThat(r.status()).as("status of %s", r.json()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("code").asText()).isEqualTo(code);
    assertThat(r.json().get("status").asInt()).isEqualTo(status);
    assertThat(r.json().has("title")).isTrue();
    assertThat(r.json().has("detail")).isTrue();
  }
}
