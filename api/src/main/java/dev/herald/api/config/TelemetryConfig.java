package dev.herald.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Metrics: always scraped in Prometheus' format at {@code /metrics} on the admin port, and pushed
 * over OTLP when {@link #otlpUrl} is set.
 */
public class TelemetryConfig {

  /**
   * Where to push metrics over OTLP/HTTP, e.g. {@code http://collector:4318/v1/metrics}; empty:
   * no push.
   */
  @JsonProperty public String otlpUrl = "";

  /** How often metrics are pushed over OTLP, in seconds. */
  @Min(1) @Max(3600) @JsonProperty public int otlpStepSeconds = 60;

  /**
   * Distinct tenants, and distinct event types, reported by name; later ones are reported as
   * {@code _other}. Each name is a few time series in every scrape.
   */
  @Min(1) @Max(100_000) @JsonProperty public int maxLabelValues = 500;

  /** How often a worker counts the deliveries that wait (pending, retrying, held), in seconds. */
  @Min(1) @Max(3600) @JsonProperty public int backlogRefreshSeconds = 30;

  /** Whether an OTLP push is configured. */
  public boolean pushesOtlp() {
    return otlpUrl != null && !otlpUrl.isBlank();
  }
}
