package dev.herald.api.temporal;

import com.uber.m3.tally.NoopScope;
import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.tally.ScopeCloseException;
import dev.herald.api.config.TemporalConfig;
import io.dropwizard.lifecycle.Managed;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.serviceclient.GrpcCompression;
import io.temporal.serviceclient.RpcRetryOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The connection to Temporal, shared by the API and the worker, closed with the process. */
public final class TemporalConnection implements Managed {

  /**
   * How long a call made while an API request waits keeps retrying an unreachable Temporal. The
   * SDK's default is a minute per call, so a publish during an outage answered only after a
   * minute per delivery; what was accepted is in PostgreSQL and the sweeper starts it later.
   */
  public static final Duration REQUEST_RETRY = Duration.ofSeconds(2);

  /** How long such a call first waits for the server's capabilities (the SDK's default: 5 s). */
  public static final Duration REQUEST_SYSTEM_INFO = Duration.ofSeconds(1);

  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final WorkflowServiceStubs requestService;
  private final WorkflowClient requestClient;
  private final String namespace;
  private final Scope metrics;

  /** How often the SDK's meters are handed to the registry. */
  static final Duration SDK_METRICS_EVERY = Duration.ofSeconds(5);

  /** A connection whose client reports no metrics. */
  public TemporalConnection(TemporalConfig config) {
    this(config, new NoopScope());
  }

  /**
   * A connection whose client, and the workers made with it, report the Temporal SDK's metrics
   * (request latencies, schedule-to-start latency, poller and slot usage) to {@code registry}.
   */
  public TemporalConnection(TemporalConfig config, MeterRegistry registry) {
    this(config,
        new RootScopeBuilder()
            .reporter(new MicrometerClientStatsReporter(registry))
            .reportEvery(com.uber.m3.util.Duration.ofSeconds(SDK_METRICS_EVERY.toSeconds())));
  }

  private TemporalConnection(TemporalConfig config, Scope metrics) {
    this.metrics = metrics;
    // Lazy: the process starts even while Temporal is still coming up. Requests go uncompressed
    // (the SDK gzips each by default): Herald's workflows carry ids, not payloads, so its starts,
    // polls and task completions are a few hundred bytes, and compressing them costs the worker
    // and the server CPU for no bandwidth worth saving.
    this.service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(config.address)
                .setGrpcCompression(GrpcCompression.NONE)
                .setMetricsScope(metrics)
                .build());
    this.namespace = config.namespace;
    WorkflowClientOptions options =
        WorkflowClientOptions.newBuilder().setNamespace(config.namespace).build();
    this.client = WorkflowClient.newInstance(service, options);
    // The same connection, with shorter retries: no wait between two tries longer than a quarter
    // of the whole, so that the last one does not sleep far past it.
    this.requestService =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setChannel(service.getRawChannel())
                .setGrpcCompression(GrpcCompression.NONE)
                .setSystemInfoTimeout(REQUEST_SYSTEM_INFO)
                .setMetricsScope(metrics)
                .setRpcRetryOptions(
                    RpcRetryOptions.newBuilder()
                        .setExpiration(REQUEST_RETRY)
                        .setMaximumInterval(REQUEST_RETRY.dividedBy(4))
                        .validateBuildWithDefaults())
                .build());
    this.requestClient = WorkflowClient.newInstance(requestService, options);
  }

  public WorkflowServiceStubs service() {
    return service;
  }

  public WorkflowClient client() {
    return client;
  }

  /**
   * The client for calls whose caller waits (an API request) or has other work to do (the
   * sweeper, an activity that hands deliveries over): it gives up on an unreachable Temporal
   * after two or three seconds ({@link #REQUEST_SYSTEM_INFO}, {@link #REQUEST_RETRY}).
   */
  public WorkflowClient requestClient() {
    return requestClient;
  }

  public String namespace() {
    return namespace;
  }

  /**
   * Closes the connection, waiting a few seconds for calls still under way: stopped after the
   * worker (registered later), and in {@code herald dev} before the Temporal server it started.
   */
  @Override
  public void stop() {
    requestService.shutdown();
    service.shutdown();
    service.awaitTermination(5, TimeUnit.SECONDS);
    try {
      // Hands the SDK's last figures to the registry.
      metrics.close();
    } catch (ScopeCloseException e) {
      throw new IllegalStateException("could not close the Temporal SDK's metrics", e);
    }
  }
}
