package dev.herald.worker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.testing.db.TestDatabase;
import dev.herald.worker.bench.BenchReceiver.Arrival;
import dev.herald.worker.bench.PgRoundTripProxy.Counts;
import dev.herald.worker.dev.DevTemporal;
import dev.herald.worker.e2e.HeraldForBenchmarks;
import dev.herald.worker.temporal.TemporalCli;
import dev.herald.worker.temporal.TemporalCliServer;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.lang.management.ManagementFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Test;

/**
 * The delivery benchmark of issue 14: Herald against bare Temporal on the same Temporal server
 * and the same receiver, in one JVM, per server (the in-memory one and, when its command line is
 * found, the real {@code temporal server start-dev}):
 *
 * <ol>
 *   <li>deliveries/s of bare Temporal (one workflow, one activity that POSTs) and of Herald
 *       (events published over its HTTP API), and their ratio;
 *   <li>publishing at saturation: 32 callers, rate and latency of {@code POST /v1/events};
 *   <li>open-loop publishing at half Herald's deliveries/s: publish latency and
 *       publish-to-arrival;
 *   <li>per first-attempt success: history events of the delivery workflow, and SQL round trips
 *       (through a counting PostgreSQL proxy) on the publish path and on the attempt path;
 *   <li>heap before and after that many deliveries wait on their retry timers.
 * </ol>
 *
 * <p>Run by hand ({@code scripts/bench DeliveryBenchmark}), not part of the test run: its name
 * does not end in Test. Sizes: {@code -Dbench.size=tiny|default|large}, and single figures of a
 * size with {@code -Dbench.deliveries=}, {@code -Dbench.rounds=}, {@code -Dbench.heapEvents=};
 * servers: {@code -Dbench.temporal=memory|real|both} (both when the command line is found).
 * Unmet targets are printed, never failed on; errors (a delivery that never arrives, a publish
 * that is not answered 202) fail it. The table is also written to {@code
 * target/bench/delivery-benchmark.json}.
 *
 * <p>Latencies of the open loop are taken from the moment each publish was due, not from when a
 * thread got round to sending it, so that a stall shows in full (no coordinated omission).
 */
class DeliveryBenchmark {

  static final String EVENT_TYPE = "bench.delivered";
  static final String WAIT_TYPE = "bench.waiting";
  /** An order of the size platforms send (the payload of WireFormatBenchmark). */
  static final String DATA = payload();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ACTIVITY_SLOTS = 100; // Herald's delivery.maxConcurrentAttempts default
  private static final int MAX_CONNECTIONS = 200; // Herald's delivery.maxConnections default
  private static final int SATURATION_CALLERS = 32;
  /**
   * The share of the machine's busy time in a throughput round, used by processes other than
   * this JVM and PostgreSQL, above which the run is flagged as not quiet.
   */
  private static final double OTHER_LOAD_WARNING = 0.10;
  private static final Pattern HOST_PORT = Pattern.compile("//([^/:?]+)(?::(\\d+))?/");
  /** Herald's settings: logs at WARN ({@code -Dbench.log=INFO} to see more), and {@code bench.herald.*}. */
  private static final Map<String, String> QUIET = heraldSettings();

  /**
   * How much of everything a run does. {@code jitWarmup} ({@code bench.jitWarmup}) deliveries of
   * each side go first through a Temporal server in memory that is then thrown away, so that the
   * JIT has compiled every side's path before anything is measured: with only the warm-up of 200
   * on the measured server, Herald's CPU per delivery still fell round after round (9.4 ms in the
   * first of seven rounds, 7.0 ms in the last) while bare Temporal's, a much smaller path, did
   * not. They go through a server of their own because the in-memory server's bookkeeping grows
   * with everything it has done (docs/PERFORMANCE.md), and costs bare Temporal more per delivery
   * than Herald: thousands more deliveries on the measured server would tilt the rounds toward
   * Herald. {@code warmup} ({@code bench.warmup}) deliveries of each side then warm the measured
   * server's connections and pools, as before.
   */
  record Size(String name, int jitWarmup, int warmup, int deliveries, int rounds, int callers, int saturationEvents,
      Duration leadIn, Duration openLoop, int historySample, int sqlEvents, Duration idleWindow,
      int heapWarmup, int heapEvents) {

    /** The size named by {@code bench.size}, with single figures changed by their own properties. */
    static Size fromProperties() {
      Size s = named(System.getProperty("bench.size", "default"));
      return new Size(s.name, Integer.getInteger("bench.jitWarmup", s.jitWarmup),
          Integer.getInteger("bench.warmup", s.warmup),
          Integer.getInteger("bench.deliveries", s.deliveries),
          Integer.getInteger("bench.rounds", s.rounds), s.callers, s.saturationEvents, s.leadIn, s.openLoop,
          s.historySample, s.sqlEvents, s.idleWindow, s.heapWarmup,
          Integer.getInteger("bench.heapEvents", s.heapEvents));
    }

    static Size named(String name) {
      return switch (name) {
        case "tiny" -> new Size("tiny", 0, 10, 40, 1, 16, 60, Duration.ofSeconds(1), Duration.ofSeconds(2), 5, 10,
            Duration.ofSeconds(1), 5, 100);
        case "default" -> new Size("default", 3000, 200, 1000, 3, 16, 1000, Duration.ofSeconds(5), Duration.ofSeconds(30), 20, 200,
            Duration.ofSeconds(3), 1000, 10_000);
        case "large" -> new Size("large", 5000, 500, 5000, 3, 16, 5000, Duration.ofSeconds(5), Duration.ofSeconds(60), 50, 1000,
            Duration.ofSeconds(3), 500, 50_000);
        default -> throw new IllegalArgumentException("bench.size is tiny, default or large, not " + name);
      };
    }
  }

  /** One line of the final table. */
  record Figure(String key, String name, double value, String unit, String target, String met) {}

  /** The figures in the order of the tables, with their names in the table of all servers. */
  private static final Map<String, String> LABELS = new LinkedHashMap<>();

  static {
    LABELS.put("bareDeliveriesPerSecond", "bare Temporal deliveries/s");
    LABELS.put("floorDeliveriesPerSecond", "durable floor deliveries/s");
    LABELS.put("heraldDeliveriesPerSecond", "Herald deliveries/s");
    LABELS.put("heraldOverBare", "Herald / bare Temporal");
    LABELS.put("floorOverBare", "durable floor / bare Temporal");
    LABELS.put("heraldOverFloor", "Herald / durable floor");
    LABELS.put("bareCpuMsPerDelivery", "bare Temporal CPU ms per delivery");
    LABELS.put("floorCpuMsPerDelivery", "durable floor CPU ms per delivery");
    LABELS.put("heraldCpuMsPerDelivery", "Herald CPU ms per delivery");
    LABELS.put("saturationPublishRate", "publish rate at saturation (32 callers)");
    LABELS.put("saturationPublishP50Ms", "publish p50 at saturation");
    LABELS.put("saturationPublishP99Ms", "publish p99 at saturation");
    LABELS.put("halfPeakPublishP50Ms", "publish p50 at half the peak rate");
    LABELS.put("halfPeakPublishP99Ms", "publish p99 at half the peak rate");
    LABELS.put("halfPeakArrivalP50Ms", "publish-to-arrival p50 at half the peak rate");
    LABELS.put("halfPeakArrivalP99Ms", "publish-to-arrival p99 at half the peak rate");
    LABELS.put("halfPeakArrivalMaxMs", "publish-to-arrival max at half the peak rate");
    LABELS.put("bareHalfPeakArrivalP50Ms", "bare Temporal start-to-arrival p50 at the same rate");
    LABELS.put("bareHalfPeakArrivalP99Ms", "bare Temporal start-to-arrival p99 at the same rate");
    LABELS.put("historyEvents", "history events per first-attempt success");
    LABELS.put("sqlPublishRoundTrips", "SQL round trips per delivery, publish path");
    LABELS.put("sqlAttemptRoundTrips", "SQL round trips per delivery, attempt path");
    LABELS.put("sqlRoundTrips", "SQL round trips per first-attempt success");
    LABELS.put("sqlRoundTripsWithChecks", "the same with the pool's connection checks");
    LABELS.put("sqlStatements", "SQL statements per first-attempt success");
    LABELS.put("heapBeforeMb", "used heap before");
    LABELS.put("heapAfterMb", "used heap after the waiting deliveries");
    LABELS.put("heapRatio", "heap after / before");
  }

  /** What one server gave. */
  record ServerResult(String server, List<Figure> figures, List<String> notes,
      Map<String, Map<String, Double>> sqlPerDelivery) {}

  /**
   * The publishers' client: Apache HttpClient 5, blocking and pooled, as a backend service would
   * call Herald. The JDK's HttpClient did the same calls for about 0.8 ms of CPU each on this
   * machine, against 0.2 ms for bare Temporal's gRPC starts, and the two share the CPU that
   * decides the ratio.
   */
  private final CloseableHttpClient http =
      HttpClients.custom()
          .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
              .setMaxConnTotal(2 * SATURATION_CALLERS)
              .setMaxConnPerRoute(2 * SATURATION_CALLERS)
              .setDefaultConnectionConfig(ConnectionConfig.custom()
                  .setConnectTimeout(Timeout.ofSeconds(5))
                  .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                  .build())
              .build())
          .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(30)).build())
          .disableAutomaticRetries()
          // A side's connections sit idle through the other sides' rounds, on a slow machine for
          // about as long as Jetty's idle timeout (30 s): a publish sent on one the server was
          // closing at that moment got no answer. Closed well before, they are never reused late.
          .evictIdleConnections(TimeValue.ofSeconds(10))
          .build();

  @Test
  void deliveries() throws Exception {
    Size size = Size.fromProperties();
    Optional<Path> cli = TemporalCli.locate(System.getenv());
    String which = System.getProperty("bench.temporal", cli.isPresent() ? "both" : "memory");
    List<String> servers = switch (which) {
      case "both" -> List.of("memory", "real");
      case "memory", "real" -> List.of(which);
      default -> throw new IllegalArgumentException("bench.temporal is memory, real or both, not " + which);
    };
    if (servers.contains("real") && cli.isEmpty()) {
      throw new AssertionError("bench.temporal=" + which + " but no temporal command line was found"
          + " (HERALD_TEMPORAL_CLI, PATH, " + TemporalCli.installedBy(System.getenv()) + ")");
    }
    String loadBefore = CpuMeter.loadAverage();
    System.out.printf(Locale.ROOT,
        "%nDelivery benchmark, size %s, servers %s; %d cores (load average %s), Java %s, max heap %d MB%n",
        size.name(), servers, Runtime.getRuntime().availableProcessors(), loadBefore,
        System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
    System.out.println(size);
    if (cli.isEmpty()) {
      System.out.println("(no temporal command line found: the real server is left out;"
          + " scripts/install-temporal-cli builds it)");
    }
    long began = System.nanoTime();
    List<ServerResult> results = new ArrayList<>();
    try (BenchReceiver receiver = BenchReceiver.start(32)) {
      if (size.jitWarmup() > 0) {
        long warmBegan = System.nanoTime();
        try (DevTemporal temporal = DevTemporal.inMemory(0)) {
          new Run("jit", temporal, receiver, size).warmUpOnly();
        }
        System.out.printf(Locale.ROOT, "[jit] done in %.0f s; that server is gone%n",
            (System.nanoTime() - warmBegan) / 1e9);
      }
      for (String server : servers) {
        long serverBegan = System.nanoTime();
        if (server.equals("memory")) {
          try (DevTemporal temporal = DevTemporal.inMemory(0)) {
            results.add(new Run("memory", temporal, receiver, size).all());
          }
        } else {
          Path dir = Files.createTempDirectory("herald-bench-temporal");
          TemporalCliServer real = HeraldForBenchmarks.startRealTemporal(dir);
          try (DevTemporal temporal = HeraldForBenchmarks.asDevTemporal(real)) {
            results.add(new Run("real", temporal, receiver, size).all());
          } finally {
            deleteQuietly(dir);
          }
        }
        System.out.printf(Locale.ROOT, "[%s] done in %.0f s%n", server, (System.nanoTime() - serverBegan) / 1e9);
      }
    }
    double took = (System.nanoTime() - began) / 1e9;
    String load = loadBefore + " before, " + CpuMeter.loadAverage() + " after";
    print(size, results, took, load);
    write(size, results, took, load);
    assertThat(results).isNotEmpty();
  }

  /** Everything measured on one Temporal server. */
  private final class Run {
    private final String server;
    private final DevTemporal temporal;
    private final BenchReceiver receiver;
    private final Size size;
    private final List<Figure> figures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Map<String, Double>> sqlPerDelivery = new LinkedHashMap<>();
    private final long began = System.nanoTime();

    Run(String server, DevTemporal temporal, BenchReceiver receiver, Size size) {
      this.server = server;
      this.temporal = temporal;
      this.receiver = receiver;
      this.size = size;
    }

    ServerResult all() throws Exception {
      log("Temporal server %s", temporal.describe());
      sqlRoundTrips();
      onSides((bare, floor, herald, api) -> {
        double heraldRate = throughput(bare, floor, api);
        saturation(api);
        List<String> sample = halfPeak(api, bare, heraldRate);
        historyEvents(herald.temporalClient(), sample);
        heap(herald, api);
      });
      List<String> order = List.copyOf(LABELS.keySet());
      figures.sort(java.util.Comparator.comparingInt(f -> order.indexOf(f.key())));
      return new ServerResult(server, figures, notes, sqlPerDelivery);
    }

    /**
     * {@link Size#jitWarmup()} deliveries of each side on this run's server, measuring nothing:
     * the JIT's warm-up, on a server thrown away afterwards.
     */
    void warmUpOnly() throws Exception {
      log("Temporal server %s, for the JIT's warm-up only", temporal.describe());
      onSides((bare, floor, herald, api) -> warm(sides(bare, floor, api), size.jitWarmup()));
    }

    /** What runs with the three sides up on this run's server. */
    private interface OnSides {
      void run(BareTemporal bare, DurableFloor floor, HeraldForBenchmarks herald, Api api)
          throws Exception;
    }

    /**
     * Starts bare Temporal, Herald (with a subscription to the receiver) and the durable floor on
     * this run's server, runs {@code body}, and stops them.
     */
    private void onSides(OnSides body) throws Exception {
      try (BareTemporal bare = BareTemporal.start(temporal.address(), ACTIVITY_SLOTS, MAX_CONNECTIONS, DATA);
          HeraldForBenchmarks herald = HeraldForBenchmarks.onTemporal(temporal, QUIET);
          DurableFloor floor = DurableFloor.start(temporal.address(), herald.database().jdbcUrl(),
              receiver.url("/ok/floor"), ACTIVITY_SLOTS, MAX_CONNECTIONS)) {
        Api api = new Api(herald.baseUrl(), herald.apiKey());
        api.subscribe("{\"name\":\"bench\",\"url\":\"" + receiver.url("/ok/herald")
            + "\",\"events\":[\"" + EVENT_TYPE + "\"]}");
        body.run(bare, floor, herald, api);
      }
    }

    // ---- 1. deliveries/s: bare Temporal, the durable floor and Herald ----

    private List<Side> sides(BareTemporal bare, DurableFloor floor, Api api) {
      return List.of(
          new Side("bare Temporal", (tag, n) -> bareRun(bare, tag, n)),
          new Side("durable floor", (tag, n) -> floorRun(floor, tag, n)),
          new Side("Herald", (tag, n) -> heraldRun(api, tag, n)));
    }

    /**
     * {@code total} deliveries of each side, in runs of a round's size: in one burst of thousands
     * of Herald deliveries to the one endpoint most queue on its slots, and under that the
     * in-memory server once refused a few of their workflow task completions ("invalid history
     * builder state for action") and left those deliveries waiting for good.
     */
    private void warm(List<Side> sides, int total) throws Exception {
      log("warm-up: %d deliveries each of bare Temporal, the durable floor and Herald", total);
      for (Side side : sides) {
        for (int done = 0, k = 1; done < total; done += size.deliveries(), k++) {
          // Each run its own tag: the tag makes the runs' event ids.
          side.run().measure("warm" + k, Math.min(size.deliveries(), total - done));
        }
      }
    }

    private double throughput(BareTemporal bare, DurableFloor floor, Api api) throws Exception {
      List<Side> sides = sides(bare, floor, api);
      warm(sides, size.warmup());
      Measured[][] runs = new Measured[sides.size()][size.rounds()];
      for (int round = 0; round < size.rounds(); round++) {
        // Each round starts with the next side, so that drift on a shared machine falls on all.
        for (int k = 0; k < sides.size(); k++) {
          int s = (round + k) % sides.size();
          runs[s][round] = sides.get(s).run().measure("r" + round, size.deliveries());
        }
        int r = round;
        log("round %d: %s", round + 1, IntStream.range(0, sides.size())
            .mapToObj(s -> String.format(Locale.ROOT, "%s %.0f deliveries/s, %s", sides.get(s).name(),
                runs[s][r].rate(), runs[s][r].cpu()))
            .collect(Collectors.joining("; ")));
      }
      double bareRate = medianRate(runs[0]);
      double floorRate = medianRate(runs[1]);
      double heraldRate = medianRate(runs[2]);
      double ratio = heraldRate / bareRate;
      String of = String.format(Locale.ROOT, "median of %d round(s) of %d", size.rounds(), size.deliveries());
      add("bareDeliveriesPerSecond", "bare Temporal deliveries/s (" + of + ")", bareRate, "/s", "", "");
      add("floorDeliveriesPerSecond", "durable floor deliveries/s (" + of + ")", floorRate, "/s", "", "");
      add("heraldDeliveriesPerSecond", "Herald deliveries/s (" + of + ")", heraldRate, "/s", "", "");
      add("heraldOverBare", "Herald / bare Temporal", ratio, "x", "≥ 0.90", met(ratio >= 0.9));
      add("floorOverBare", "durable floor / bare Temporal", floorRate / bareRate, "x", "", "");
      add("heraldOverFloor", "Herald / durable floor", heraldRate / floorRate, "x", "", "");
      CpuMeter.Cost bareCpu = medianCost(runs[0]);
      CpuMeter.Cost floorCpu = medianCost(runs[1]);
      CpuMeter.Cost heraldCpu = medianCost(runs[2]);
      add("bareCpuMsPerDelivery", "bare Temporal CPU ms per delivery (machine)", bareCpu.machineMs(), "ms", "", "");
      add("floorCpuMsPerDelivery", "durable floor CPU ms per delivery (machine)", floorCpu.machineMs(), "ms", "", "");
      add("heraldCpuMsPerDelivery", "Herald CPU ms per delivery (machine)", heraldCpu.machineMs(), "ms", "", "");
      notes.add(String.format(Locale.ROOT, "CPU per delivery in the throughput rounds (medians; the"
              + " machine's busy time over the run, so other load on it counts too): bare Temporal %.2f ms"
              + " (this JVM %.2f), durable floor %.2f ms (this JVM %.2f, PostgreSQL %.2f), Herald %.2f ms"
              + " (this JVM %.2f, PostgreSQL %.2f)",
          bareCpu.machineMs(), bareCpu.jvmMs(), floorCpu.machineMs(), floorCpu.jvmMs(),
          floorCpu.postgresMs(), heraldCpu.machineMs(), heraldCpu.jvmMs(), heraldCpu.postgresMs()));
      double others = Arrays.stream(runs).flatMap(Arrays::stream)
          .mapToDouble(r -> r.cpu().othersShare()).max().orElse(0);
      // On the real server the Temporal server is one of the other processes; in memory it is in
      // this JVM, and other processes are load that is not the benchmark's.
      if (server.equals("memory") && others > OTHER_LOAD_WARNING) {
        // The ratio moves with other load (0.58x quiet, 0.95x beside a test run, same code).
        notes.add(String.format(Locale.ROOT, "WARNING: other processes used up to %.0f %% of the"
            + " machine's busy time in a throughput round: on two cores the ratio then moves"
            + " with that load, and is not comparable with a quiet run's", others * 100));
      }
      return heraldRate;
    }

    /** One of the throughput rounds' sides, and how it delivers n with ids tagged {@code tag}. */
    private record Side(String name, SideRun run) {}

    private interface SideRun {
      Measured measure(String tag, int n) throws Exception;
    }

    private static double medianRate(Measured[] runs) {
      return median(Arrays.stream(runs).mapToDouble(Measured::rate).toArray());
    }

    /** One throughput run measured: deliveries/s, and the CPU each delivery cost. */
    private record Measured(double rate, CpuMeter.Cost cpu) {}

    private static CpuMeter.Cost medianCost(Measured[] runs) {
      return new CpuMeter.Cost(
          median(Arrays.stream(runs).mapToDouble(r -> r.cpu().jvmMs()).toArray()),
          median(Arrays.stream(runs).mapToDouble(r -> r.cpu().postgresMs()).toArray()),
          median(Arrays.stream(runs).mapToDouble(r -> r.cpu().machineMs()).toArray()));
    }

    private Measured bareRun(BareTemporal bare, String tag, int n) throws Exception {
      String url = receiver.url("/ok/bare");
      return measured("bare Temporal", tag, "bare-" + server + "-" + tag + "-", n,
          (prefix, i) -> bare.start(prefix + i, url, prefix + i));
    }

    private Measured floorRun(DurableFloor floor, String tag, int n) throws Exception {
      return measured("durable floor", tag, "floor-" + server + "-" + tag + "-", n,
          (prefix, i) -> floorPublish(floor.url(), prefix + i));
    }

    private Measured heraldRun(Api api, String tag, int n) throws Exception {
      return measured("Herald", tag, "evt-" + server + "-" + tag + "-", n,
          (prefix, i) -> api.publish(prefix + i, EVENT_TYPE));
    }

    /** What sends delivery {@code i} of a run whose ids start with {@code prefix}. */
    private interface Sender {
      void send(String prefix, int i) throws Exception;
    }

    /**
     * {@code n} deliveries sent by the benchmark's callers, from the first send to the last
     * arrival, with the CPU they cost (logged by thread role too).
     */
    private Measured measured(String side, String tag, String prefix, int n, Sender sender)
        throws Exception {
      receiver.forget();
      CpuMeter.Reading cpu = CpuMeter.read();
      CpuMeter.Threads threads = CpuMeter.threads();
      long start = System.nanoTime();
      callers(size.callers(), n, i -> sender.send(prefix, i));
      BenchReceiver.await(side + " deliveries " + tag, () -> receiver.arrivals(prefix), n, timeoutFor(n));
      Measured measured =
          new Measured(n / ((lastArrival(prefix, n) - start) / 1e9), CpuMeter.read().per(cpu, n));
      CpuMeter.Threads after = CpuMeter.threads();
      log("  %s %s: this JVM's CPU ms per delivery by thread role: %s; KB allocated per delivery:"
          + " %s", tag, side, CpuMeter.perDelivery(threads, after, n),
          CpuMeter.allocatedPerDelivery(threads, after, n));
      return measured;
    }

    private long lastArrival(String prefix, int n) {
      long last = Long.MIN_VALUE;
      for (int i = 0; i < n; i++) {
        last = Math.max(last, receiver.arrival(prefix + i).nanos());
      }
      return last;
    }

    // ---- 2. publishing at saturation ----

    private void saturation(Api api) throws Exception {
      int n = size.saturationEvents();
      log("publishing %d events from %d callers at once", n, SATURATION_CALLERS);
      receiver.forget();
      String prefix = "sat-" + server + "-";
      long[] latency = new long[n];
      long start = System.nanoTime();
      callers(SATURATION_CALLERS, n, i -> latency[i] = api.publish(prefix + i, EVENT_TYPE));
      double seconds = (System.nanoTime() - start) / 1e9;
      BenchReceiver.await("deliveries of the saturation run", () -> receiver.arrivals(prefix), n, timeoutFor(n));
      add("saturationPublishRate", "publish rate at saturation (32 callers)", n / seconds, "/s", "", "");
      add("saturationPublishP50Ms", "publish p50 at saturation", percentile(latency, 50) / 1e6, "ms", "", "");
      add("saturationPublishP99Ms", "publish p99 at saturation", percentile(latency, 99) / 1e6, "ms", "", "");
    }

    // ---- 3. open loop at half the peak rate ----

    private List<String> halfPeak(Api api, BareTemporal bare, double heraldRate) throws Exception {
      double rate = heraldRate / 2;
      int lead = callsIn(rate, size.leadIn());
      int n = Math.max(1, callsIn(rate, size.openLoop()));
      log("open loop: %d events at %.0f/s (half of Herald's deliveries/s) for %d s, after %d s not counted",
          n, rate, size.openLoop().toSeconds(), size.leadIn().toSeconds());
      String prefix = "half-" + server + "-";
      long[] intended = new long[lead + n];
      long[] answered = new long[lead + n];
      openLoop(rate, lead + n, intended, answered, i -> api.publish(prefix + i, EVENT_TYPE));
      BenchReceiver.await("deliveries of the open loop", () -> receiver.arrivals(prefix), lead + n, timeoutFor(lead + n));
      long[] publish = new long[n];
      long[] toArrival = new long[n];
      List<String> sample = new ArrayList<>();
      int every = Math.max(1, n / size.historySample());
      for (int i = 0; i < n; i++) {
        Arrival a = receiver.arrival(prefix + (lead + i));
        publish[i] = answered[lead + i] - intended[lead + i];
        toArrival[i] = a.nanos() - intended[lead + i];
        if (i % every == 0 && sample.size() < size.historySample()) {
          if (!"1".equals(a.attempt())) {
            throw new AssertionError(prefix + (lead + i) + " arrived on attempt " + a.attempt());
          }
          sample.add(a.deliveryId());
        }
      }
      String at = String.format(Locale.ROOT, " at %.0f/s", rate);
      add("halfPeakPublishP50Ms", "publish p50" + at, percentile(publish, 50) / 1e6, "ms", "", "");
      add("halfPeakPublishP99Ms", "publish p99" + at, percentile(publish, 99) / 1e6, "ms", "≤ 50 ms", met(percentile(publish, 99) <= 50e6));
      add("halfPeakArrivalP50Ms", "publish-to-arrival p50" + at, percentile(toArrival, 50) / 1e6, "ms", "≤ 20 ms",
          met(percentile(toArrival, 50) <= 20e6));
      add("halfPeakArrivalP99Ms", "publish-to-arrival p99" + at, percentile(toArrival, 99) / 1e6, "ms", "≤ 100 ms",
          met(percentile(toArrival, 99) <= 100e6));
      add("halfPeakArrivalMaxMs", "publish-to-arrival max" + at, percentile(toArrival, 100) / 1e6, "ms", "", "");
      long[] leadArrival = new long[lead];
      for (int i = 0; i < lead; i++) {
        leadArrival[i] = receiver.arrival(prefix + i).nanos() - intended[i];
      }
      if (lead > 0) {
        notes.add(String.format(Locale.ROOT,
            "open loop's first %d s (%d events, not counted: the server still finishing the"
                + " saturation run's workflows): publish-to-arrival p50 %.1f ms, max %.1f ms",
            size.leadIn().toSeconds(), lead, percentile(leadArrival, 50) / 1e6,
            percentile(leadArrival, 100) / 1e6));
      }
      bareHalfPeak(bare, rate, lead, n, at);
      return sample;
    }

    /**
     * The same open loop with bare Temporal: a workflow started at each intended instant, the time
     * to its POST's arrival. What Herald's arrival latency is compared with: the server's own.
     */
    private void bareHalfPeak(BareTemporal bare, double rate, int lead, int n, String at) throws Exception {
      log("open loop, bare Temporal: %d starts at %.0f/s, after %d not counted", n, rate, lead);
      String url = receiver.url("/ok/bare");
      String prefix = "bare-half-" + server + "-";
      long[] intended = new long[lead + n];
      long[] answered = new long[lead + n];
      openLoop(rate, lead + n, intended, answered, i -> bare.start(prefix + i, url, prefix + i));
      BenchReceiver.await("bare deliveries of the open loop", () -> receiver.arrivals(prefix), lead + n, timeoutFor(lead + n));
      long[] toArrival = new long[n];
      for (int i = 0; i < n; i++) {
        toArrival[i] = receiver.arrival(prefix + (lead + i)).nanos() - intended[lead + i];
      }
      add("bareHalfPeakArrivalP50Ms", "bare Temporal start-to-arrival p50" + at,
          percentile(toArrival, 50) / 1e6, "ms", "", "");
      add("bareHalfPeakArrivalP99Ms", "bare Temporal start-to-arrival p99" + at,
          percentile(toArrival, 99) / 1e6, "ms", "", "");
    }

    /** How many calls {@code rate} per second makes in {@code time}. */
    private static int callsIn(double rate, Duration time) {
      return (int) Math.round(rate * time.toNanos() / 1e9);
    }

    /**
     * Calls {@code send} for 0 … n-1 at {@code rate} per second, each at its intended instant
     * whatever the earlier calls' latency (an open loop), from up to 64 threads; records each
     * call's intended instant and when it returned. The receiver's arrivals are forgotten first.
     */
    private void openLoop(double rate, int n, long[] intended, long[] answered, IndexedTask send)
        throws Exception {
      receiver.forget();
      ExecutorService pool = Executors.newFixedThreadPool(64);
      ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
      long t0 = System.nanoTime() + 50_000_000L;
      long interval = (long) (1e9 / rate);
      for (int i = 0; i < n; i++) {
        int index = i;
        intended[i] = t0 + i * interval;
        long wait;
        while ((wait = intended[i] - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        pool.execute(() -> {
          try {
            send.run(index);
            answered[index] = System.nanoTime();
          } catch (Throwable e) {
            errors.add(e);
          }
        });
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
      if (!errors.isEmpty()) {
        throw new AssertionError(errors.size() + " calls of the open loop failed", errors.peek());
      }
    }

    // ---- 4a. history events per first-attempt success ----

    private void historyEvents(WorkflowClient client, List<String> deliveryIds) throws Exception {
      int[] counts = new int[deliveryIds.size()];
      List<String> types = null;
      for (int i = 0; i < deliveryIds.size(); i++) {
        String workflowId = "delivery-" + deliveryIds.get(i);
        client.newUntypedWorkflowStub(workflowId).getResult(30, TimeUnit.SECONDS, Void.class);
        List<HistoryEvent> events = client.fetchHistory(workflowId).getEvents();
        counts[i] = events.size();
        if (types == null) {
          types = events.stream()
              .map(e -> e.getEventType().name().replace("EVENT_TYPE_", "").toLowerCase(Locale.ROOT))
              .toList();
        }
      }
      double median = median(Arrays.stream(counts).asDoubleStream().toArray());
      int max = Arrays.stream(counts).max().orElse(0);
      add("historyEvents", "history events per first-attempt success (median of " + counts.length + ")", median, "",
          "≤ 12", met(median <= 12));
      if (max != median) {
        notes.add("history events ranged up to " + max);
      }
      notes.add("history of a first-attempt success: " + String.join(", ", types));
    }

    // ---- 4b. SQL round trips per first-attempt success ----

    /**
     * Two Heralds on one database and this server, each through its own counting proxy: one with
     * the API only (the publish path) and one with the worker only (the attempt path), so that
     * the two paths are counted apart while they run at once. The benchmark's own queries go to
     * the database directly.
     */
    private void sqlRoundTrips() throws Exception {
      int k = size.sqlEvents();
      log("SQL round trips: %d events through an API-only and a worker-only Herald behind counting proxies", k);
      try (TestDatabase database = TestDatabase.create()) {
        Matcher m = HOST_PORT.matcher(database.jdbcUrl());
        assertThat(m.find()).as("host and port in %s", database.jdbcUrl()).isTrue();
        String host = m.group(1);
        int port = m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
        Map<String, String> apiOnly = new LinkedHashMap<>(QUIET);
        apiOnly.put("worker.enabled", "false");
        // Overrides are system properties while a harness runs: the second says each key again.
        // (HeraldForBenchmarks.via sweeps once an hour: the sweeper's queries stay out of the counts.)
        Map<String, String> workerOnly = new LinkedHashMap<>(QUIET);
        workerOnly.put("worker.enabled", "true");
        workerOnly.put("api.enabled", "false");
        try (PgRoundTripProxy apiProxy = PgRoundTripProxy.to(host, port);
            PgRoundTripProxy workerProxy = PgRoundTripProxy.to(host, port);
            HeraldForBenchmarks apiHerald =
                HeraldForBenchmarks.via(through(apiProxy, database), database, temporal, apiOnly);
            HeraldForBenchmarks workerHerald =
                HeraldForBenchmarks.via(through(workerProxy, database), database, temporal, workerOnly)) {
          Api api = new Api(apiHerald.baseUrl(), apiHerald.apiKey());
          api.subscribe("{\"name\":\"bench-sql\",\"url\":\"" + receiver.url("/ok/herald-sql")
              + "\",\"events\":[\"" + EVENT_TYPE + "\"]}");
          // As many as are counted: the JDBC driver prepares and describes a statement on each
          // pooled connection the first times it runs there, a cold start's cost, not a delivery's.
          sqlBatch(api, database, "sql-warm-" + server + "-", k);

          long idleStart = System.nanoTime();
          Counts apiIdle0 = apiProxy.counts();
          Counts workerIdle0 = workerProxy.counts();
          Thread.sleep(size.idleWindow().toMillis());
          double idleSeconds = (System.nanoTime() - idleStart) / 1e9;
          Counts apiIdle = apiProxy.counts().minus(apiIdle0);
          Counts workerIdle = workerProxy.counts().minus(workerIdle0);

          long start = System.nanoTime();
          Counts api0 = apiProxy.counts();
          Counts worker0 = workerProxy.counts();
          sqlBatch(api, database, "sql-" + server + "-", k);
          Thread.sleep(500); // whatever either does after the last success
          double seconds = (System.nanoTime() - start) / 1e9;
          Counts apiUsed = apiProxy.counts().minus(api0);
          Counts workerUsed = workerProxy.counts().minus(worker0);
          // Background work seen while idle (none expected: the sweeper is off) is taken out pro rata.
          double scale = seconds / idleSeconds;
          double apiTrips = (apiUsed.roundTrips() - apiIdle.roundTrips() * scale) / k;
          double workerTrips = (workerUsed.roundTrips() - workerIdle.roundTrips() * scale) / k;
          double apiStatements = (apiUsed.workStatements() - apiIdle.workStatements() * scale) / k;
          double workerStatements = (workerUsed.workStatements() - workerIdle.workStatements() * scale) / k;
          double checks = (double) (apiUsed.checks() + workerUsed.checks()) / k;
          add("sqlPublishRoundTrips", "SQL round trips per delivery, publish path (API)", apiTrips, "", "", "");
          add("sqlAttemptRoundTrips", "SQL round trips per delivery, attempt path (worker)", workerTrips, "", "", "");
          double trips = apiTrips + workerTrips;
          add("sqlRoundTrips", "SQL round trips per first-attempt success", trips, "", "≤ 6", met(trips <= 6));
          // The pool checks a connection on borrow unless it did within the last second: how many
          // that makes per delivery depends on the rate and the pool, not on the delivery's code.
          add("sqlRoundTripsWithChecks", "  the same with the pool's connection checks, at this rate", trips + checks, "", "(≤ 6)",
              met(trips + checks <= 6));
          add("sqlStatements", "SQL statements per first-attempt success", apiStatements + workerStatements, "", "", "");
          notes.add(String.format(Locale.ROOT,
              "SQL: %d events from %d callers in %.1f s; round trips API %d, worker %d, connection checks"
                  + " API %d, worker %d; in %.1f s idle before: round trips API %d, worker %d (taken out pro rata),"
                  + " checks API %d, worker %d",
              k, size.callers(), seconds, apiUsed.roundTrips(), workerUsed.roundTrips(), apiUsed.checks(),
              workerUsed.checks(), idleSeconds, apiIdle.roundTrips(), workerIdle.roundTrips(), apiIdle.checks(),
              workerIdle.checks()));
          statementsPerDelivery("publish path (API)", apiUsed, k);
          statementsPerDelivery("attempt path (worker)", workerUsed, k);
        }
      }
    }

    /** The statements of one path, per delivery, most frequent first. */
    private void statementsPerDelivery(String path, Counts used, int k) {
      Map<String, Double> perDelivery = new LinkedHashMap<>();
      used.statements().entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .forEach(e -> perDelivery.put(e.getKey(), Math.round(1000.0 * e.getValue() / k) / 1000.0));
      sqlPerDelivery.put(path, perDelivery);
      StringBuilder lines = new StringBuilder("statements per delivery, " + path + ":");
      used.statements().entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .forEach(e -> lines.append(String.format(Locale.ROOT, "%n      %5.2f  %s", (double) e.getValue() / k,
              e.getKey().length() > 110 ? e.getKey().substring(0, 107) + "..." : e.getKey())));
      notes.add(lines.toString());
    }

    /** Publishes {@code n} events and waits until their deliveries read succeeded. */
    private void sqlBatch(Api api, TestDatabase database, String prefix, int n) throws Exception {
      receiver.forget();
      callers(size.callers(), n, i -> api.publish(prefix + i, EVENT_TYPE));
      BenchReceiver.await("deliveries of " + prefix, () -> receiver.arrivals(prefix), n, timeoutFor(n));
      BenchReceiver.await("succeeded deliveries of " + prefix,
          () -> count(database, "SELECT count(*) FROM deliveries WHERE status = 'succeeded' AND event_id LIKE ?",
              prefix + "%"),
          n, timeoutFor(n));
    }

    // ---- 5. heap with deliveries waiting on timers ----

    /**
     * Used heap (after full collections) with nothing waiting, once {@code heapWarmup} deliveries
     * wait (more than the worker's cache of 600 workflows, so that a full cache is the baseline),
     * and after each quarter of {@code heapEvents} more. A bounded cache levels off; what grows
     * with every waiting delivery keeps climbing from quarter to quarter.
     */
    private void heap(HeraldForBenchmarks herald, Api api) throws Exception {
      int n = size.heapEvents();
      log("heap: %d + %d deliveries to a 503 endpoint, each waiting an hour for its retry",
          size.heapWarmup(), n);
      api.subscribe("{\"name\":\"bench-wait\",\"url\":\"" + receiver.url("/fail/herald")
          + "\",\"events\":[\"" + WAIT_TYPE + "\"],\"retrySchedule\":[3600,3600],"
          + "\"disableAfter\":{\"failures\":0}}");
      receiver.forget();
      TestDatabase database = herald.database();
      long empty = usedHeapAfterGc();
      waitingBatch(api, database, "wait-warm-" + server + "-", 0, size.heapWarmup());
      long before = usedHeapAfterGc();
      long start = System.nanoTime();
      long[] quarters = new long[4];
      int published = 0;
      for (int q = 0; q < 4; q++) {
        int upTo = (int) Math.round(n * (q + 1) / 4.0);
        waitingBatch(api, database, "wait-" + server + "-", published, upTo - published);
        published = upTo;
        quarters[q] = usedHeapAfterGc();
        log("heap with %d + %d waiting: %.1f MB", size.heapWarmup(), upTo, quarters[q] / 1048576.0);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long after = quarters[3];
      double ratio = (double) after / before;
      boolean inJvm = server.equals("memory");
      add("heapBeforeMb", "used heap before (" + size.heapWarmup() + " already waiting)", before / 1048576.0, "MB", "", "");
      add("heapAfterMb", "used heap after " + n + " more deliveries wait on timers", after / 1048576.0, "MB", "", "");
      add("heapRatio", "heap after / before", ratio, "x", inJvm ? "≤ 1.10 (real server)" : "≤ 1.10",
          inJvm ? met(ratio <= 1.10) + " (n/a)" : met(ratio <= 1.10));
      notes.add(String.format(Locale.ROOT,
          "heap: %.1f MB with none waiting, %.1f MB with %d; after each quarter of %d more: %.1f, %.1f, %.1f,"
              + " %.1f MB; %.1f KB more per waiting delivery past the first %d; %d first attempts failed in %.0f s%s",
          empty / 1048576.0, before / 1048576.0, size.heapWarmup(), n, quarters[0] / 1048576.0,
          quarters[1] / 1048576.0, quarters[2] / 1048576.0, quarters[3] / 1048576.0,
          (after - before) / 1024.0 / n, size.heapWarmup(), n, seconds,
          inJvm ? "; the in-memory server keeps its state (every workflow's history and timers) in this"
              + " same JVM, so its growth is counted here too: the target is for the real server" : ""));
    }

    /**
     * Publishes events {@code from}..{@code from + n - 1} of {@code prefix} and waits until each
     * delivery's first attempt failed and the delivery reads retrying.
     */
    private void waitingBatch(Api api, TestDatabase database, String prefix, int from, int n) throws Exception {
      int failedBefore = receiver.failRequests();
      callers(size.callers(), n, i -> api.publish(prefix + (from + i), WAIT_TYPE));
      BenchReceiver.await("first attempts of " + prefix, () -> receiver.failRequests() - failedBefore, n,
          timeoutFor(n));
      BenchReceiver.await("retrying deliveries of " + prefix,
          () -> count(database, "SELECT count(*) FROM deliveries WHERE status = 'retrying' AND event_id LIKE ?",
              prefix + "%"),
          from + n, timeoutFor(n));
    }

    private void add(String key, String name, double value, String unit, String target, String met) {
      figures.add(new Figure(key, name, value, unit, target, met));
    }

    private void log(String format, Object... args) {
      System.out.printf(Locale.ROOT, "[%s +%.0fs] %s%n", server, (System.nanoTime() - began) / 1e9,
          String.format(Locale.ROOT, format, args));
    }
  }

  /** Herald's HTTP API, with the tenant's key, over keep-alive connections. */
  /** A response's status and body. */
  private record Answer(int status, String body) {}

  private final class Api {
    private final String base;
    private final String key;

    Api(String base, String key) {
      this.base = base;
      this.key = key;
    }

    void subscribe(String body) throws Exception {
      Answer r = post("/v1/subscriptions", body);
      if (r.status() != 201) {
        throw new AssertionError("POST /v1/subscriptions answered " + r.status() + ": " + r.body());
      }
    }

    /** Publishes one event; returns how long the call took, in nanoseconds. */
    long publish(String id, String type) throws Exception {
      String body = "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"data\":" + DATA + "}";
      long start = System.nanoTime();
      Answer r;
      try {
        r = post("/v1/events", body);
      } catch (IOException e) {
        // A pooled connection the server closed as idle just as it was reused ("received no
        // bytes"): publishing is idempotent by event id, so the call is made again, as a client
        // would, and its time counts from the first try.
        r = post("/v1/events", body);
      }
      long took = System.nanoTime() - start;
      if (r.status() != 202) {
        throw new AssertionError("POST /v1/events answered " + r.status() + ": " + r.body());
      }
      JsonNode answer = JSON.readTree(r.body());
      if (answer.path("deliveries").asInt() != 1) {
        throw new AssertionError("expected one delivery of " + id + ": " + r.body());
      }
      return took;
    }

    private Answer post(String path, String body) throws IOException {
      HttpPost post = new HttpPost(base + path);
      post.setHeader("Authorization", "Bearer " + key);
      post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
      return http.execute(post, r -> new Answer(r.getCode(), EntityUtils.toString(r.getEntity())));
    }
  }

  /** Publishes one event to the durable floor, with the body Herald's publishers send. */
  private void floorPublish(String url, String id) throws IOException {
    HttpPost post = new HttpPost(url);
    post.setEntity(new StringEntity(
        "{\"id\":\"" + id + "\",\"type\":\"" + EVENT_TYPE + "\",\"data\":" + DATA + "}",
        ContentType.APPLICATION_JSON));
    int status = http.execute(post, r -> {
      EntityUtils.consume(r.getEntity());
      return r.getCode();
    });
    if (status != 202) {
      throw new AssertionError("POST /floor/events answered " + status);
    }
  }

  /** An action on index i. */
  interface IndexedTask {
    void run(int i) throws Exception;
  }

  /** Runs {@code task} for 0..n-1 from {@code threads} threads, each taking the next index. */
  static void callers(int threads, int n, IndexedTask task) throws Exception {
    AtomicInteger next = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        int i;
        while (errors.isEmpty() && (i = next.getAndIncrement()) < n) {
          try {
            task.run(i);
          } catch (Throwable e) {
            errors.add(e);
          }
        }
      }, "bench-caller-" + t);
      thread.start();
      started.add(thread);
    }
    for (Thread thread : started) {
      thread.join();
    }
    if (!errors.isEmpty()) {
      AssertionError failure = new AssertionError(errors.size() + " call(s) failed: " + errors.peek());
      errors.forEach(failure::addSuppressed);
      throw failure;
    }
  }

  private static int count(TestDatabase database, String sql, String like) {
    return database.jdbi().withHandle(h -> h.createQuery(sql).bind(0, like).mapTo(Integer.class).one());
  }

  private static String through(PgRoundTripProxy proxy, TestDatabase database) {
    return HOST_PORT.matcher(database.jdbcUrl()).replaceFirst("//127.0.0.1:" + proxy.port() + "/");
  }

  /** Long enough for n deliveries at 2/s, and a minute more: a stall, not slowness, fails. */
  private static Duration timeoutFor(int n) {
    return Duration.ofSeconds(60 + n / 2);
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(300);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** The nearest-rank percentile (100: the maximum). */
  static long percentile(long[] values, double p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String met(boolean met) {
    return met ? "yes" : "NO";
  }

  private static String format(Figure f) {
    boolean whole = Math.abs(f.value()) >= 100 || f.unit().equals("/s") || f.value() == Math.rint(f.value());
    String number = String.format(Locale.ROOT, whole ? "%.0f" : "%.2f", f.value());
    return switch (f.unit()) {
      case "" -> number;
      case "x" -> String.format(Locale.ROOT, "%.2f×", f.value());
      case "/s" -> number + "/s";
      default -> number + " " + f.unit();
    };
  }

  /**
   * Herald's settings in the benchmark: quiet logs, and any {@code -Dbench.herald.<key>=<value>}
   * as a configuration override (e.g. {@code -Dbench.herald.delivery.maxAttemptsPerEndpoint=100}).
   */
  private static Map<String, String> heraldSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("logging.level", System.getProperty("bench.log", "WARN"));
    System.getProperties().stringPropertyNames().stream()
        .filter(name -> name.startsWith("bench.herald."))
        .sorted()
        .forEach(name -> settings.put(name.substring("bench.herald.".length()), System.getProperty(name)));
    return Map.copyOf(settings);
  }

  /** Removes the real server's directory (its SQLite file and log). */
  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception e) {
      System.out.println("could not remove " + dir + ": " + e);
    }
  }

  private static void print(Size size, List<ServerResult> results, double seconds, String load) {
    for (ServerResult r : results) {
      System.out.printf(Locale.ROOT, "%nDelivery benchmark, %s Temporal server (size %s)%n", r.server(), size.name());
      int width = r.figures().stream().mapToInt(f -> f.name().length()).max().orElse(10);
      String row = "%-" + width + "s  %12s  %-22s  %s%n";
      System.out.printf(Locale.ROOT, row, "figure", "value", "target", "met");
      System.out.printf(Locale.ROOT, row, "-".repeat(width), "-".repeat(12), "-".repeat(22), "---");
      for (Figure f : r.figures()) {
        System.out.printf(Locale.ROOT, row, f.name(), format(f), f.target(), f.met());
      }
      for (String note : r.notes()) {
        System.out.println("  - " + note);
      }
    }
    if (!results.isEmpty()) {
      // The same for all servers side by side, as Markdown (as in the README's Performance section).
      StringBuilder header = new StringBuilder("| figure | target |");
      StringBuilder rule = new StringBuilder("|---|---|");
      for (ServerResult r : results) {
        header.append(' ').append(r.server()).append(" | met |");
        rule.append("---:|---|");
      }
      System.out.printf(Locale.ROOT, "%n%s%n%s%n", header, rule);
      for (Map.Entry<String, String> label : LABELS.entrySet()) {
        List<Figure> row = results.stream()
            .map(r -> r.figures().stream().filter(f -> f.key().equals(label.getKey())).findFirst().orElse(null))
            .toList();
        String target = row.stream().filter(f -> f != null && !f.target().isEmpty()).map(Figure::target)
            .findFirst().orElse("");
        StringBuilder line = new StringBuilder("| " + label.getValue() + " | " + target + " |");
        for (Figure f : row) {
          line.append(' ').append(f == null ? "" : format(f)).append(" | ").append(f == null ? "" : f.met()).append(" |");
        }
        System.out.println(line);
      }
    }
    System.out.printf(Locale.ROOT, "%nTargets: Herald ≥ 0.9 × bare Temporal; publish p99 ≤ 50 ms and publish-to-arrival"
        + " p50 ≤ 20 ms, p99 ≤ 100 ms at half the peak rate; ≤ 12 history events and ≤ 6 SQL round trips per"
        + " first-attempt success; heap within 10 %% across waiting deliveries on the real server.%n"
        + "Herald as configured by default (100 attempt slots, each a local activity; at most 25"
        + " attempts to one endpoint at once per worker)%s. The whole run took %.0f s; load average %s.%n",
        QUIET.size() > 1 ? ", with " + QUIET : "", seconds, load);
  }

  private static void write(Size size, List<ServerResult> results, double seconds, String load)
      throws Exception {
    Path file = Path.of("target", "bench", "delivery-benchmark.json").toAbsolutePath();
    Files.createDirectories(file.getParent());
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("benchmark", "DeliveryBenchmark");
    document.put("size", size.name());
    document.put("finishedAt", Instant.now().toString());
    document.put("seconds", Math.round(seconds));
    document.put("cores", Runtime.getRuntime().availableProcessors());
    document.put("java", System.getProperty("java.version"));
    document.put("loadAverage", load);
    document.put("heraldSettings", new java.util.TreeMap<>(QUIET));
    List<Map<String, Object>> servers = new ArrayList<>();
    for (ServerResult r : results) {
      List<Map<String, Object>> figures = new ArrayList<>();
      for (Figure f : r.figures()) {
        Map<String, Object> figure = new LinkedHashMap<>();
        figure.put("key", f.key());
        figure.put("figure", f.name().strip());
        figure.put("value", Math.round(f.value() * 1000) / 1000.0);
        figure.put("unit", f.unit());
        figure.put("target", f.target().isEmpty() ? null : f.target());
        figure.put("met", f.met().isEmpty() ? null : f.met().startsWith("yes"));
        figures.add(figure);
      }
      Map<String, Object> server = new LinkedHashMap<>();
      server.put("server", r.server());
      server.put("figures", figures);
      server.put("sqlStatementsPerDelivery", r.sqlPerDelivery());
      server.put("notes", r.notes().stream().filter(n -> !n.startsWith("statements per delivery")).toList());
      servers.add(server);
    }
    document.put("servers", servers);
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), document);
    System.out.println("written to " + file);
  }

  /** An order of the size platforms send: nested customer, a few items, decimals, non-ASCII. */
  private static String payload() {
    StringBuilder items = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      items.append(i == 0 ? "" : ",").append("{\"sku\":\"SKU-").append(i)
          .append("\",\"name\":\"Item ").append(i).append(" – café\",\"qty\":").append(i + 1)
          .append(",\"price\":").append(9.99 + i).append("}");
    }
    return "{\"orderId\":\"981\",\"amount\":142.10,\"currency\":\"EUR\",\"paid\":true,"
        + "\"customer\":{\"id\":\"cus_42\",\"name\":\"Zoë Martin\",\"email\":\"zoe@example.com\"},"
        + "\"items\":[" + items + "],\"note\":\"leave at the door\"}";
  }
}
