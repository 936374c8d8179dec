package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document Herald serves describes exactly the routes Jersey serves, each with the
 * scope its Java method requires.
 */
class OpenApiDocumentTest {

  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

  private static HeraldHarness herald;
  private static HttpResponse<String> served;
  private static JsonNode document;

  @BeforeAll
  static void start() throws Exception {
    herald = new HeraldHarness();
    served =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create(herald.baseUrl() + "/v1/openapi.yaml")).build(),
                HttpResponse.BodyHandlers.ofString());
    document = new YAMLMapper().readTree(served.body());
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @Test
  void theDocumentIsServedAsYamlWithoutAuthentication() {
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.headers().firstValue("content-type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/yaml"));
    assertThat(document.get("openapi").asText()).startsWith("3.1.");
    assertThat(document.at("/components/securitySchemes/apiKey/scheme").asText()).isEqualTo("bearer");
  }

  @Test
  void everyServedRouteIsDocumentedAndNothingElse() {
    Set<String> documented = documentedOperations().keySet();
    Set<String> routes = ServedRoutes.of(herald).keySet();
    List<String> problems = new ArrayList<>();
    routes.stream().filter(r -> !documented.contains(r))
        .forEach(r -> problems.add("served but not in docs/openapi.yaml: " + r));
    documented.stream().filter(d -> !routes.contains(d))
        .forEach(d -> problems.add("in docs/openapi.yaml but not served: " + d));
    assertThat(problems).as(String.join("\n", problems)).isEmpty();
  }

  @Test
  void eachOperationNamesTheScopeItsMethodRequires() {
    Map<String, Optional<String>> routes = ServedRoutes.of(herald);
    List<String> problems = new ArrayList<>();
    List<String> compared = new ArrayList<>();
    documentedOperations().forEach((operation, scope) -> {
      Optional<String> required = routes.get(operation);
      if (required != null) {
        compared.add(operation);
      }
      if (required != null && !required.equals(scope)) {
        problems.add(operation + ": x-required-scope " + scope.orElse("(none)") + ", but the method requires "
            + required.orElse("(none)"));
      }
    });
    assertThat(problems).as(String.join("\n", problems)).isEmpty();
    // The six routes that exist on every branch: the check is never vacuous.
    assertThat(compared).contains("POST /v1/events", "GET /v1/events/{id}", "GET /v1/deliveries/{id}",
        "POST /v1/subscriptions", "GET /v1/subscriptions/{id}", "GET /v1/openapi.yaml");
  }

  @Test
  void everyReferenceResolvesWithinTheDocument() {
    List<String> dangling = new ArrayList<>();
    collectRefs(document).forEach(ref -> {
      if (!ref.startsWith("#/") || document.at(ref.substring(1)).isMissingNode()) {
        dangling.add(ref);
      }
    });
    assertThat(dangling).as("dangling $ref").isEmpty();
  }

  @Test
  void everyAuthenticatedOperationDocumentsItsErrorsAsProblems() {
    List<String> problems = new ArrayList<>();
    operations().forEach((operation, node) -> {
      boolean open = node.has("security") && node.get("security").isEmpty();
      if (!open) {
        for (String status : List.of("401", "403", "500", "503")) {
          JsonNode response = resolve(node.path("responses").path(status));
          if (response.at("/content/application~1problem+json/schema/$ref").isMissingNode()) {
            problems.add(operation + " lacks a problem+json " + status);
          }
        }
      }
      if (operation.contains("{id}") && !open && node.path("responses").path("404").isMissingNode()) {
        problems.add(operation + " lacks a 404");
      }
      if (node.has("requestBody")) {
        for (String status : List.of("400", "413", "415", "422")) {
          if (node.path("responses").path(status).isMissingNode()) {
            problems.add(operation + " takes a body but lacks a " + status);
          }
        }
      }
    });
    assertThat(problems).as(String.join("\n", problems)).isEmpty();
    assertThat(document.at("/components/schemas/Problem/properties/errors/items/$ref").asText())
        .isEqualTo("#/components/schemas/FieldError");
    assertThat(document.at("/components/schemas/FieldError/properties").has("pointer")).isTrue();
    assertThat(document.at("/components/schemas/FieldError/properties").has("parameter")).isTrue();
  }

  /** "GET /v1/..." → the x-required-scope of that operation in the document. */
  private static Map<String, Optional<String>> documentedOperations() {
    Map<String, Optional<String>> out = new TreeMap<>();
    operations().forEach((operation, node) ->
        out.put(operation, Optional.ofNullable(node.get("x-required-scope")).map(JsonNode::asText)));
    return out;
  }

  private static Map<String, JsonNode> operations() {
    Map<String, JsonNode> out = new TreeMap<>();
    document.get("paths").fields().forEachRemaining(path ->
        path.getValue().fields().forEachRemaining(op -> {
          if (METHODS.contains(op.getKey())) {
            out.put(op.getKey().toUpperCase() + " " + path.getKey(), op.getValue());
          }
        }));
    return out;
  }

  private static JsonNode resolve(JsonNode node) {
    JsonNode ref = node.get("$ref");
    return ref == null ? node : document.at(ref.asText().substring(1));
  }

  private static List<String> collectRefs(JsonNode node) {
    List<String> refs = new ArrayList<>();
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        if (e.getKey().equals("$ref")) {
          refs.add(e.getValue().asText());
        } else {
          refs.addAll(collectRefs(e.getValue()));
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> refs.addAll(collectRefs(n)));
    }
    return refs;
  }
}
