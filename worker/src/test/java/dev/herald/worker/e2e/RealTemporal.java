package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.worker.dev.DevTemporal;
import dev.herald.worker.temporal.TemporalCli;
import dev.herald.worker.temporal.TemporalCliServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Temporal server for the integration tests ({@code *IT}): {@code temporal server
 * start-dev} on free loopback ports with its SQLite file in a directory of the test's, and the
 * {@code temporal} command line pointed at it, as an operator would type it.
 *
 * <p>The binary is found as {@code herald dev} finds it; when it is missing and Go is on PATH,
 * {@code scripts/install-temporal-cli} builds it (once, about three minutes). Without either the
 * tests are aborted with the reason, and reported as skipped by Maven; with {@code
 * HERALD_REQUIRE_REAL_TEMPORAL=true} (as {@code .ci/run} sets it) they fail instead.
 */
final class RealTemporal {

  private static Path binary;

  private RealTemporal() {}

  /** The {@code temporal} binary, installed if need be. */
  static synchronized Path binary() {
    if (binary == null) {
      binary = TemporalCli.locate(System.getenv()).orElseGet(RealTemporal::install);
    }
    return binary;
  }

  /** Starts a server with its database in {@code directory}; the caller closes it. */
  static TemporalCliServer start(Path directory) {
    return start(directory, Map.of());
  }

  /** The same, with server settings ({@code --dynamic-config-value key=value}). */
  static TemporalCliServer start(Path directory, Map<String, String> dynamicConfig) {
    return TemporalCliServer.start(
        new TemporalCliServer.Options(
            binary(), freePort(), freePort(), directory.resolve("temporal.db"), dynamicConfig));
  }

  /** The same server again on the same ports and database file (after {@link TemporalCliServer#kill}). */
  static TemporalCliServer restart(TemporalCliServer stopped) {
    return TemporalCliServer.start(stopped.options());
  }

  /** For {@link HeraldHarness#onTemporal}: the harness does not stop it. */
  static DevTemporal asDevTemporal(TemporalCliServer server) {
    return new DevTemporal.Real(server);
  }

  /**
   * Runs {@code temporal <args> --address <server>} as an operator would, and returns what it
   * printed; fails the test when it exits non-zero.
   */
  static String cli(TemporalCliServer server, String... args) {
    CliResult result = tryCli(server, args);
    assertThat(result.exitCode())
        .as("temporal %s exited %d: %s", String.join(" ", args), result.exitCode(), result.output())
        .isZero();
    return result.output();
  }

  /** The same, without judging the exit code. */
  static CliResult tryCli(TemporalCliServer server, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--address", server.address()));
    return run(all.toArray(String[]::new));
  }

  /** Runs {@code temporal <args>} and returns its exit code and what it printed. */
  static CliResult run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary().toString());
    command.addAll(List.of(args));
    command.addAll(List.of("--color", "never"));
    try {
      Path output = Files.createTempFile("temporal-cli", ".out");
      try {
        Process process =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("temporal " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new CliResult(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  record CliResult(int exitCode, String output) {}

  static int freePort() {
    // Below the system's ephemeral range (32768 and up on Linux): a port the system hands out for
    // a bind to port 0 or an outgoing connection, such as the internal ports the Temporal server
    // picks as it starts, cannot then take the port between this choice and its use.
    for (int tries = 0; tries < 50; tries++) {
      int port = PORTS_BELOW_EPHEMERAL_FROM + RANDOM.nextInt(PORTS_BELOW_EPHEMERAL_COUNT);
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return port;
      } catch (IOException taken) {
        // in use: another
      }
    }
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final int PORTS_BELOW_EPHEMERAL_FROM = 20_000;
  private static final int PORTS_BELOW_EPHEMERAL_COUNT = 12_000;
  private static final java.util.Random RANDOM = new java.security.SecureRandom();

  private static Path install() {
    Map<String, String> env = System.getenv();
    Path script = repositoryRoot().resolve("scripts").resolve("install-temporal-cli");
    boolean required = "true".equals(env.get("HERALD_REQUIRE_REAL_TEMPORAL"));
    Optional<Path> go = onPath("go");
    if (go.isEmpty()) {
      String why = "no temporal command line (HERALD_TEMPORAL_CLI, PATH, " + TemporalCli.installedBy(env)
          + ") and no Go to build one with " + script;
      if (required) {
        throw new AssertionError(why);
      }
      Assumptions.abort(why);
    }
    try {
      Process process =
          new ProcessBuilder(script.toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new AssertionError(script + " failed (exit " + process.exitValue() + ")");
      }
      return Path.of(printed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static Optional<Path> onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The checkout this test runs in (the directory with the top pom and scripts/). */
  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("scripts").resolve("install-temporal-cli"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new AssertionError("no scripts/install-temporal-cli above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  /** Polls until the condition holds, or fails with the message at the deadline. */
  static void await(String what, Duration timeout, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " not within " + timeout);
      }
      Thread.sleep(100);
    }
  }
}
