package dev.herald.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The REST API, when this process serves it. */
public class ApiConfig {

  /** Whether this process serves {@code /v1}. */
  @JsonProperty public boolean enabled = true;

  /** Whether this process migrates the schema at start. */
  @JsonProperty public boolean migrateOnStart = true;
}
