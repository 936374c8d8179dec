package dev.herald.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How deliveries are made. */
public class DeliveryConfig {

  /** Largest accepted request body, in bytes; larger ones answer 413 before parsing. */
  @JsonProperty public int maxRequestBytes = 256 * 1024;

  /** Pooled connections to endpoints, across all activity threads of one worker. */
  @JsonProperty public int maxConnections = 200;

  /** Activities one worker runs at once. */
  @JsonProperty public int maxConcurrentAttempts = 100;
}
