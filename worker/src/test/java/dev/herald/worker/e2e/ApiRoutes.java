package dev.herald.worker.e2e;

import dev.herald.core.tenant.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Every route of the API with the scope it needs and a request that would succeed for the owner
 * of the resources it names: the table behind the scope matrix and the tenant isolation test.
 */
final class ApiRoutes {

  private ApiRoutes() {}

  /**
   * A route and a request to it.
   *
   * @param template the path with {@code {subscription}}, {@code {event}}, {@code {delivery}} (a
   *     held delivery), {@code {finished}} (a cancelled one), {@code {job}}
   * @param scope the scope it needs, or null when it needs no key
   * @param body a valid body, or null
   * @param list whether it lists the tenant's resources (so another tenant sees an empty list)
   */
  record Route(String method, String template, Scope scope, String body, boolean list) {

    String path(Map<String, String> ids) {
      String path = template;
      for (Map.Entry<String, String> e : ids.entrySet()) {
        path = path.replace("{" + e.getKey() + "}", e.getValue());
      }
      return path;
    }

    boolean namesAResource() {
      return template.contains("{");
    }

    /** The route as Jersey and OpenAPI name it, e.g. {@code GET /v1/subscriptions/{id}}. */
    String signature() {
      return method + " " + template.replaceAll("\\{[a-z]+}", "{id}").replaceAll("\\?.*", "");
    }

    @Override
    public String toString() {
      return method + " " + template;
    }
  }

  static final List<Route> ALL =
      List.of(
          new Route("GET", "/v1/subscriptions", Scope.WEBHOOKS_READ, null, true),
          new Route("POST", "/v1/subscriptions", Scope.WEBHOOKS_WRITE,
              "{\"name\":\"x\",\"url\":\"http://127.0.0.1:9/\",\"events\":[\"*\"]}", false),
          new Route("GET", "/v1/subscriptions/{subscription}", Scope.WEBHOOKS_READ, null, false),
          new Route("GET", "/v1/subscriptions/{subscription}/stats?window=1h", Scope.WEBHOOKS_READ,
              null, false),
          new Route("PATCH", "/v1/subscriptions/{subscription}", Scope.WEBHOOKS_WRITE,
              "{\"name\":\"renamed\"}", false),
          new Route("POST", "/v1/subscriptions/{subscription}/rotate-secret", Scope.WEBHOOKS_WRITE,
              "{\"graceSeconds\":0}", false),
          new Route("POST", "/v1/subscriptions/{subscription}/test", Scope.WEBHOOKS_WRITE, null, false),
          new Route("POST", "/v1/subscriptions/{subscription}/preview", Scope.WEBHOOKS_WRITE,
              "{\"type\":\"order.paid\",\"data\":{}}", false),
          new Route("DELETE", "/v1/subscriptions/{subscription}", Scope.WEBHOOKS_WRITE, null, false),
          new Route("POST", "/v1/events", Scope.EVENTS_PUBLISH,
              "{\"type\":\"order.paid\",\"data\":{}}", false),
          new Route("GET", "/v1/events", Scope.WEBHOOKS_READ, null, true),
          new Route("GET", "/v1/events/{event}", Scope.WEBHOOKS_READ, null, false),
          new Route("GET", "/v1/deliveries", Scope.WEBHOOKS_READ, null, true),
          new Route("POST", "/v1/deliveries", Scope.EVENTS_PUBLISH,
              "{\"url\":\"http://127.0.0.1:9/\",\"type\":\"order.paid\",\"data\":{},"
                  + "\"secret\":\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}", false),
          new Route("POST", "/v1/one-off-secret", Scope.WEBHOOKS_WRITE, "{\"graceSeconds\":0}", false),
          new Route("GET", "/v1/deliveries/{delivery}", Scope.WEBHOOKS_READ, null, false),
          new Route("POST", "/v1/deliveries/{finished}/retry", Scope.WEBHOOKS_WRITE, null, false),
          new Route("POST", "/v1/deliveries/{delivery}/cancel", Scope.WEBHOOKS_WRITE, null, false),
          new Route("GET", "/v1/notifications", Scope.WEBHOOKS_READ, null, true),
          new Route("POST", "/v1/subscriptions/{subscription}/recover", Scope.WEBHOOKS_WRITE,
              "{\"since\":\"" + Instant.now().minus(Duration.ofHours(1)) + "\"}", false),
          new Route("GET", "/v1/jobs/{job}", Scope.WEBHOOKS_READ, null, false),
          new Route("GET", "/v1/subscription-defaults", Scope.WEBHOOKS_READ, null, false),
          new Route("PUT", "/v1/subscription-defaults", Scope.WEBHOOKS_WRITE,
              "{\"method\":\"POST\"}", false));
}
