package dev.herald.worker.e2e;

import dev.herald.api.auth.RequiresScope;
import jakarta.ws.rs.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;

/** The routes a running Herald serves, read from Jersey's resource model. */
final class ServedRoutes {

  private ServedRoutes() {}

  /** "GET /v1/..." → the scope its Java method requires, from the resources Jersey serves. */
  static Map<String, Optional<String>> of(HeraldHarness herald) {
    var config = herald.app.getEnvironment().jersey().getResourceConfig();
    Map<String, Optional<String>> out = new TreeMap<>();
    Stream.concat(config.getClasses().stream(), config.getInstances().stream().map(Object::getClass))
        .filter(c -> c.isAnnotationPresent(Path.class))
        .distinct()
        .forEach(c -> collect(Resource.from(c), "", out));
    return out;
  }

  private static void collect(Resource resource, String parent, Map<String, Optional<String>> out) {
    String path = join(parent, resource.getPath());
    for (ResourceMethod method : resource.getResourceMethods()) {
      RequiresScope scope =
          method.getInvocable().getDefinitionMethod().getAnnotation(RequiresScope.class);
      out.put(method.getHttpMethod() + " " + path,
          Optional.ofNullable(scope).map(s -> s.value().wireName()));
    }
    if (resource.getResourceLocator() != null) {
      out.put("LOCATOR " + path, Optional.empty());
    }
    for (Resource child : resource.getChildResources()) {
      collect(child, path, out);
    }
  }

  /** Joins path templates, dropping any regular expression from a parameter: {id: [a-z]+} → {id}. */
  private static String join(String parent, String path) {
    String joined = (parent + "/" + (path == null ? "" : path)).replaceAll("/+", "/");
    if (joined.length() > 1 && joined.endsWith("/")) {
      joined = joined.substring(0, joined.length() - 1);
    }
    return joined.replaceAll("\\{\\s*([^}:\\s]+)\\s*:[^}]*}", "{$1}");
  }

}
