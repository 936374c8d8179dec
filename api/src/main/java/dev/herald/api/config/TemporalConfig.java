package dev.herald.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where the Temporal cluster is. */
public class TemporalConfig {

  /** host:port of the Temporal frontend ({@code HERALD_TEMPORAL_ADDRESS}). */
  @JsonProperty public String address = "127.0.0.1:7233";

  /** The Temporal namespace ({@code HERALD_TEMPORAL_NAMESPACE}). */
  @JsonProperty public String namespace = "default";

  /** Whether to register Herald's search attributes at start when they are missing. */
  @JsonProperty public boolean registerSearchAttributes = true;
}
