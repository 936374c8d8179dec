package dev.herald.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The Temporal worker and the sweeper, when this process runs them. */
public class WorkerConfig {

  /** Whether this process polls the {@code herald-deliveries} task queue. */
  @JsonProperty public boolean enabled = false;

  /** How often the sweeper looks for deliveries whose workflow is missing, in seconds. */
  @JsonProperty public int sweepIntervalSeconds = 30;

  /**
   * How overdue a delivery must be before the sweeper looks at its workflow, in seconds: long
   * enough that a healthy delivery is never disturbed.
   */
  @JsonProperty public int sweepGraceSeconds = 60;

  /** What is kept how long, and how fast the rest is removed. */
  @Valid @NotNull @JsonProperty public RetentionConfig retention = new RetentionConfig();
}
