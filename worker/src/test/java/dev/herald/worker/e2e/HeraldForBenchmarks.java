package dev.herald.worker.e2e;

import dev.herald.testing.db.TestDatabase;
import dev.herald.worker.dev.DevTemporal;
import dev.herald.worker.temporal.TemporalCliServer;
import io.dropwizard.testing.ConfigOverride;
import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import java.util.Map;

/**
 * The end-to-end harnesses as the benchmarks (package {@code dev.herald.worker.bench}) use them:
 * {@link HeraldHarness} and {@link RealTemporal} stay package-private, this only passes through.
 */
public final class HeraldForBenchmarks implements AutoCloseable {

  private final HeraldHarness harness;

  private HeraldForBenchmarks(HeraldHarness harness) {
    this.harness = harness;
  }

  /**
   * Herald (API and worker) on a Temporal server the caller keeps, over a fresh database, sweeping
   * as deployed (every 30 s, for deliveries pending over 60 s), not every second as tests do.
   */
  public static HeraldForBenchmarks onTemporal(DevTemporal temporal, Map<String, String> overrides)
      throws Exception {
    return new HeraldForBenchmarks(HeraldHarness.asDeployed(temporal, overrides(overrides)));
  }

  /**
   * Herald on a database and a Temporal server the caller keeps, reaching the database at {@code
   * url} (a proxy) while {@link #database()} is reached directly; it sweeps once an hour, so
   * that the sweeper's queries stay out of what the proxy sees.
   */
  public static HeraldForBenchmarks via(String url, TestDatabase database, DevTemporal temporal,
      Map<String, String> overrides) throws Exception {
    return new HeraldForBenchmarks(HeraldHarness.via(url, database, temporal, overrides(overrides)));
  }

  /** The real Temporal server ({@code temporal server start-dev}) with its files in {@code dir}. */
  public static TemporalCliServer startRealTemporal(Path dir) {
    return RealTemporal.start(dir);
  }

  /** A real server as a {@link DevTemporal} for {@link #onTemporal}; closing it stops the server. */
  public static DevTemporal asDevTemporal(TemporalCliServer server) {
    return RealTemporal.asDevTemporal(server);
  }

  public String baseUrl() {
    return harness.baseUrl();
  }

  /** A key of every scope of the harness's tenant. */
  public String apiKey() {
    return harness.apiKey;
  }

  public TestDatabase database() {
    return harness.database;
  }

  public WorkflowClient temporalClient() {
    return harness.temporalClient();
  }

  @Override
  public void close() {
    harness.close();
  }

  private static ConfigOverride[] overrides(Map<String, String> overrides) {
    return overrides.entrySet().stream()
        .map(e -> ConfigOverride.config(e.getKey(), e.getValue()))
        .toArray(ConfigOverride[]::new);
  }
}
