package dev.herald.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** How deliveries are made. */
public class DeliveryConfig {

  /** Largest accepted request body, in bytes; larger ones answer 413 before parsing. */
  @JsonProperty public int maxRequestBytes = 256 * 1024;

  /** Pooled connections to endpoints, across all activity threads of one worker. */
  @JsonProperty public int maxConnections = 200;

  /** Activities one worker runs at once. */
  @JsonProperty public int maxConcurrentAttempts = 100;

  /**
   * Held deliveries released per second when a subscription is unpaused or re-enabled ({@code
   * HERALD_RELEASE_RATE_PER_SECOND}): the release job moves at most this many per batch, one batch
   * a second, oldest first, so a large backlog never becomes a burst of workflow starts.
   */
  @Min(1)
  @Max(1000)
  @JsonProperty
  public int releaseRatePerSecond = 20;

  /**
   * Failed deliveries reopened per second by a recovery job ({@code
   * HERALD_RECOVERY_RATE_PER_SECOND}): each batch reopens at most this many, one batch a second,
   * oldest first, so recovering a weekend of failures never becomes a burst at the endpoint.
   */
  @Min(1)
  @Max(1000)
  @JsonProperty
  public int recoveryRatePerSecond = 20;
}
