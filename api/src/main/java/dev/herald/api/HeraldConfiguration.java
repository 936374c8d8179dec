package dev.herald.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.herald.api.config.ApiConfig;
import dev.herald.api.config.DeliveryConfig;
import dev.herald.api.config.HeraldDataSourceFactory;
import dev.herald.api.config.SecurityConfig;
import dev.herald.api.config.TelemetryConfig;
import dev.herald.api.config.TemporalConfig;
import dev.herald.api.config.WorkerConfig;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** Herald's configuration: {@code herald.yml}, with {@code ${ENV:-default}} substitution. */
public class HeraldConfiguration extends Configuration {

  /**
   * PostgreSQL: {@code HERALD_DATABASE_URL}, {@code _USER}, {@code _PASSWORD}; the pool's defaults
   * are made to recover from an outage (see {@link HeraldDataSourceFactory}).
   */
  @Valid @NotNull @JsonProperty
  public HeraldDataSourceFactory database = new HeraldDataSourceFactory();

  @Valid @NotNull @JsonProperty public TemporalConfig temporal = new TemporalConfig();

  @Valid @NotNull @JsonProperty public DeliveryConfig delivery = new DeliveryConfig();

  @Valid @NotNull @JsonProperty public SecurityConfig security = new SecurityConfig();

  @Valid @NotNull @JsonProperty public WorkerConfig worker = new WorkerConfig();

  @Valid @NotNull @JsonProperty public ApiConfig api = new ApiConfig();

  @Valid @NotNull @JsonProperty public TelemetryConfig telemetry = new TelemetryConfig();

  /** What this process does, as its meters say: {@code api}, {@code worker} or {@code api-worker}. */
  public String role() {
    if (api.enabled && worker.enabled) {
      return "api-worker";
    }
    return worker.enabled ? "worker" : "api";
  }
}
