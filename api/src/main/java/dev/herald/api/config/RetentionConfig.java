package dev.herald.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * How long finished deliveries, their attempts and their events are kept, and how fast the
 * retention workflow removes them. Unfinished deliveries and their events are never removed.
 */
public class RetentionConfig {

  /**
   * Days a finished delivery (succeeded, failed, cancelled) is kept after its completion ({@code
   * HERALD_RETENTION_DAYS}); then it goes with its attempts, and its event once no delivery refers
   * to it. Read by each batch, so a change takes effect as the workers restart.
   */
  @Min(value = 1, message = "must be at least 1 (HERALD_RETENTION_DAYS: days finished deliveries"
      + " are kept)")
  @Max(value = 36_500, message = "must be at most 36500 (HERALD_RETENTION_DAYS)")
  @JsonProperty
  public int days = 30;

  /** Deliveries removed per batch, one short transaction each ({@code HERALD_RETENTION_BATCH_SIZE}). */
  @Min(1)
  @Max(10_000)
  @JsonProperty
  public int batchSize = 1000;

  /**
   * Full batches per second at most while a backlog is removed ({@code
   * HERALD_RETENTION_BATCHES_PER_SECOND}). Takes effect when the retention workflow is started
   * again.
   */
  @Min(1)
  @Max(100)
  @JsonProperty
  public int batchesPerSecond = 2;

  /**
   * Minutes between looks once caught up ({@code HERALD_RETENTION_INTERVAL_MINUTES}), a durable
   * timer. Takes effect when the retention workflow is started again.
   */
  @Min(1)
  @Max(10_080)
  @JsonProperty
  public int intervalMinutes = 60;
}
