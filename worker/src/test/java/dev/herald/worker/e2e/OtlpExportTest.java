package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.herald.core.tenant.Scope;
import io.dropwizard.testing.ConfigOverride;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * With {@code HERALD_OTLP_URL} set, Herald pushes the same meters over OTLP/HTTP: a loopback
 * collector receives protobuf export requests that name Herald's meters and the service.
 */
class OtlpExportTest {

  @Test
  void anAcceptedEventReachesTheCollector() throws Exception {
    BlockingQueue<byte[]> exports = new LinkedBlockingQueue<>();
    BlockingQueue<String> contentTypes = new LinkedBlockingQueue<>();
    HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext("/v1/metrics", exchange -> {
      contentTypes.add(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
      exports.add(exchange.getRequestBody().readAllBytes());
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    collector.start();
    String url = "http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/metrics";
    try (HeraldHarness herald =
        new HeraldHarness(
            ConfigOverride.config("telemetry.otlpUrl", url),
            ConfigOverride.config("telemetry.otlpStepSeconds", "1"))) {
      String key = herald.newTenantKey("otlp", null, Scope.all());
      assertThat(herald.call("POST", "/v1/events", "{\"type\":\"order.paid\",\"data\":{}}", key,
              "application/json").status())
          .isEqualTo(202);

      Instant deadline = Instant.now().plusSeconds(30);
      Metric published = null;
      ResourceMetrics resource = null;
      while (published == null && Instant.now().isBefore(deadline)) {
        byte[] body = exports.poll(1, TimeUnit.SECONDS);
        if (body == null) {
          continue;
        }
        for (ResourceMetrics rm : ExportMetricsServiceRequest.parseFrom(body).getResourceMetricsList()) {
          for (var scope : rm.getScopeMetricsList()) {
            for (Metric m : scope.getMetricsList()) {
              if (m.getName().equals("herald.events.published")
                  && m.getSum().getDataPointsList().stream()
                      .anyMatch(p -> p.getAsDouble() >= 1 || p.getAsInt() >= 1)) {
                published = m;
                resource = rm;
              }
            }
          }
        }
      }
      assertThat(published).as("herald.events.published pushed within 30 s").isNotNull();
      assertThat(contentTypes.peek()).isEqualTo("application/x-protobuf");
      List<KeyValue> attributes = resource.getResource().getAttributesList();
      assertThat(attributes)
          .anyMatch(a -> a.getKey().equals("service.name")
              && a.getValue().getStringValue().equals("herald"));
      assertThat(published.getSum().getDataPointsList().get(0).getAttributesList())
          .extracting(KeyValue::getKey)
          .contains("tenant", "type", "process");
    } finally {
      collector.stop(0);
    }
  }
}
