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

  /**
   * Attempts one worker runs at once ({@code HERALD_MAX_CONCURRENT_ATTEMPTS}): deliveries'
   * attempts (local activities), and as many activities besides (batches' attempts and the rest).
   */
  @Min(1)
  @Max(10_000)
  @JsonProperty
  public int maxConcurrentAttempts = 100;

  /**
   * Attempts to one endpoint one worker runs at once ({@code HERALD_MAX_ATTEMPTS_PER_ENDPOINT}); 0
   * means a quarter of {@link #maxConcurrentAttempts}. An endpoint that hangs for its whole
   * timeout holds at most this many attempt slots; its other attempts wait without one.
   */
  @Min(0)
  @Max(10_000)
  @JsonProperty
  public int maxAttemptsPerEndpoint = 0;

  /** {@link #maxAttemptsPerEndpoint}, with 0 resolved. */
  public int sharePerEndpoint() {
    return maxAttemptsPerEndpoint > 0
        ? Math.min(maxAttemptsPerEndpoint, maxConcurrentAttempts)
        : Math.max(1, maxConcurrentAttempts / 4);
  }

  /**
   * Delivery workflows started at once after a publish ({@code HERALD_START_THREADS}): a publish
   * is answered once committed, and these threads start its workflows (see the API's {@code
   * Handoff}). A start that brings its first workflow task back to this process's worker (eager
   * start) waits for the server to record the task as started too, up to a few hundred
   * milliseconds on a busy {@code temporal server start-dev}, so the pool is sized for that: with
   * 8, the starts of a burst queued for seconds behind it.
   */
  @Min(1)
  @Max(256)
  @JsonProperty
  public int startThreads = 32;

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
