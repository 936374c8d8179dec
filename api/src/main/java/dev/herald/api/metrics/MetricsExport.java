package dev.herald.api.metrics;

import dev.herald.api.config.TelemetryConfig;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a process's meters go: a Prometheus registry scraped at {@code /metrics} on the admin
 * port, and an OTLP registry pushing to a collector when one is configured. Every meter carries
 * the label {@code process} ({@code server}, {@code worker} or {@code dev}) so that one
 * Prometheus can tell an API process from a worker.
 */
public final class MetricsExport implements Managed {

  private static final Logger log = LoggerFactory.getLogger(MetricsExport.class);

  /**
   * The Temporal SDK's latencies (schedule-to-start, task execution, requests) as histograms
   * with these bounds, so that Prometheus can compute their quantiles across workers.
   */
  private static final MeterFilter TEMPORAL_LATENCY_BUCKETS =
      new MeterFilter() {
        @Override
        public DistributionStatisticConfig configure(
            Meter.Id id, DistributionStatisticConfig config) {
          if (id.getType() != Meter.Type.TIMER || !id.getName().startsWith("temporal_")) {
            return config;
          }
          return DistributionStatisticConfig.builder()
              .serviceLevelObjectives(
                  Stream.of(1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000,
                          60_000)
                      .mapToDouble(ms -> Duration.ofMillis(ms).toNanos())
                      .toArray())
              .build()
              .merge(config);
        }
      };

  private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
  private final PrometheusMeterRegistry prometheus =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final OtlpMeterRegistry otlp;
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public MetricsExport(TelemetryConfig config, String process) {
    registry.config().commonTags(List.of(Tag.of("process", process)));
    registry.config().meterFilter(TEMPORAL_LATENCY_BUCKETS);
    registry.add(prometheus);
    if (config.pushesOtlp()) {
      otlp = new OtlpMeterRegistry(otlpConfig(config, process), io.micrometer.core.instrument.Clock.SYSTEM);
      registry.add(otlp);
      log.info("metrics are pushed over OTLP to {} every {} s", config.otlpUrl,
          config.otlpStepSeconds);
    } else {
      otlp = null;
    }
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc.bindTo(registry);
  }

  /** The registry every meter of this process is made in. */
  public MeterRegistry registry() {
    return registry;
  }

  /**
   * Serves the scrape at {@code /metrics} on the admin port, in place of Dropwizard's JSON view
   * of its own metrics (which stays at {@code /metrics-json}).
   */
  public void serve(Environment environment) {
    environment.getAdminContext().addServlet(new PrometheusScrape(prometheus), "/metrics");
    environment
        .getAdminContext()
        .addServlet(new io.dropwizard.metrics.servlets.MetricsServlet(environment.metrics()),
            "/metrics-json");
  }

  @Override
  public void stop() {
    gc.close();
    if (otlp != null) {
      // Pushes what was counted since the last push, then stops.
      otlp.close();
    }
    prometheus.close();
  }

  private static OtlpConfig otlpConfig(TelemetryConfig config, String process) {
    Map<String, String> settings =
        Map.of(
            "otlp.url", config.otlpUrl,
            "otlp.step", Duration.ofSeconds(config.otlpStepSeconds).toString(),
            "otlp.resourceAttributes", "service.name=herald,service.instance.role=" + process);
    return settings::get;
  }
}
