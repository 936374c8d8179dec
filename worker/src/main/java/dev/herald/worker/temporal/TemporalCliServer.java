package dev.herald.worker.temporal;

import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Temporal server, {@code temporal server start-dev}, as a child process on 127.0.0.1:
 * SQLite in one file with its write-ahead log beside it (so workflows survive a restart on the
 * same file), the Web UI on its own port, its output in a log file beside the database. {@code
 * herald dev} and the real-server tests run it.
 *
 * <p>The child's pid is written beside the database. A server left running by a process that
 * died without stopping it (kill -9) holds the port and the file; the next start on the same file
 * stops it first, and only it: the process that pid file names, when it is {@code temporal server
 * start-dev} on that file.
 *
 * <p>Where {@code setsid} is found (Linux) the child runs in a session of its own, so that a
 * Ctrl-C in the terminal reaches only the JVM, which stops the server after the worker that uses
 * it; in the terminal's process group the server would stop at once, beside the JVM, and the
 * worker's last calls would fail.
 */
public final class TemporalCliServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TemporalCliServer.class);

  /**
   * The server settings Herald runs with: task queue fairness, so that the delivery workflows'
   * fairness key (their subscription) shares the deliveries queue among subscriptions. The compose
   * file's {@code deploy/temporal/dynamicconfig.yaml} sets the same.
   */
  public static final Map<String, String> HERALD_SETTINGS = Map.of("matching.enableFairness", "true");

  /**
   * SQLite settings ({@code --sqlite-pragma}): a write-ahead log in place of SQLite's default
   * rollback journal, which creates, syncs and deletes a journal file for every transaction. The
   * server is a single SQLite writer, so this is what bounds it: in {@code DeliveryBenchmark} it
   * took bare Temporal from 23 to 41 deliveries/s and Herald from 24 to 42 on this server. Commits
   * are still synced to disk before they return ({@code synchronous=full}), so a crash of the
   * machine loses no more than before; the log lives beside the file ({@code temporal.db-wal}).
   */
  public static final List<String> SQLITE_PRAGMAS = List.of("journal_mode=wal", "synchronous=full");
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  /** How long a leftover server may take to exit and free its ports. */
  private static final Duration LEFTOVER_STOP = Duration.ofSeconds(10);

  private final Options options;
  private final Process process;
  private final OptionalLong leftoverStopped;

  private TemporalCliServer(Options options, Process process, OptionalLong leftoverStopped) {
    this.options = options;
    this.process = process;
    this.leftoverStopped = leftoverStopped;
  }

  /**
   * What to start.
   *
   * @param binary the {@code temporal} command line ({@link TemporalCli#locate})
   * @param port the frontend's gRPC port
   * @param uiPort the Web UI's port
   * @param databaseFile the SQLite file; its directory also holds {@code temporal.log} and {@code
   *     temporal.pid} (named after the file)
   * @param dynamicConfig server settings ({@code --dynamic-config-value key=value}) beside
   *     {@link #HERALD_SETTINGS}, e.g. a low {@code limit.historyCount.suggestContinueAsNew} in a
   *     test; none more for {@code herald dev}
   */
  public record Options(
      Path binary, int port, int uiPort, Path databaseFile, Map<String, String> dynamicConfig) {

    public Options {
      Map<String, String> settings = new TreeMap<>(HERALD_SETTINGS);
      settings.putAll(dynamicConfig);
      dynamicConfig = Map.copyOf(settings);
    }

    public Options(Path binary, int port, int uiPort, Path databaseFile) {
      this(binary, port, uiPort, databaseFile, Map.of());
    }

    public Path logFile() {
      return sibling(".log");
    }

    public Path pidFile() {
      return sibling(".pid");
    }

    private Path sibling(String suffix) {
      String name = databaseFile.getFileName().toString().replaceFirst("\\.db$", "");
      return databaseFile.resolveSibling(name + suffix);
    }

    List<String> command() {
      List<String> command = new ArrayList<>(List.of(
          binary.toString(), "server", "start-dev",
          "--ip", "127.0.0.1",
          "--port", Integer.toString(port),
          "--ui-port", Integer.toString(uiPort),
          "--db-filename", databaseFile.toString(),
          "--log-level", "warn",
          "--color", "never"));
      SQLITE_PRAGMAS.forEach(pragma -> command.addAll(List.of("--sqlite-pragma", pragma)));
      dynamicConfig.forEach(
          (key, value) -> command.addAll(List.of("--dynamic-config-value", key + "=" + value)));
      return command;
    }
  }

  /** Starts the server and returns once the {@code default} namespace answers. */
  public static TemporalCliServer start(Options options) {
    try {
      Files.createDirectories(options.databaseFile().toAbsolutePath().getParent());
      OptionalLong leftover = stopLeftover(options);
      Process process =
          new ProcessBuilder(inSessionOfItsOwn(options.command()))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(options.logFile().toFile()))
              .start();
      Files.writeString(options.pidFile(), Long.toString(process.pid()), StandardCharsets.US_ASCII);
      TemporalCliServer server = new TemporalCliServer(options, process, leftover);
      server.awaitReady();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + options.binary(), e);
    }
  }

  public int port() {
    return options.port();
  }

  /** The frontend's address, {@code 127.0.0.1:port}. */
  public String address() {
    return "127.0.0.1:" + options.port();
  }

  /** The Web UI, e.g. {@code http://127.0.0.1:8233}. */
  public String uiAddress() {
    return "http://127.0.0.1:" + options.uiPort();
  }

  public Options options() {
    return options;
  }

  /**
   * The pid of a server that an earlier process started on the same database file and left
   * running, which this start stopped; empty when there was none.
   */
  public OptionalLong leftoverStopped() {
    return leftoverStopped;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, as a crash would: nothing is flushed, the database file stays as it is. */
  public void kill() {
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(10));
  }

  /** SIGTERM, then SIGKILL after ten seconds. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      if (!awaitExit(Duration.ofSeconds(10))) {
        kill();
      }
    }
    try {
      Files.deleteIfExists(options.pidFile());
    } catch (IOException e) {
      log.debug("could not delete {}", options.pidFile(), e);
    }
  }

  private boolean awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void awaitReady() {
    Instant deadline = Instant.now().plus(READY_TIMEOUT);
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(address()).build());
    try {
      RuntimeException last = null;
      while (Instant.now().isBefore(deadline)) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "temporal server start-dev exited with " + process.exitValue() + ": " + logTail());
        }
        try {
          service
              .blockingStub()
              .withDeadlineAfter(2, TimeUnit.SECONDS)
              .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace("default").build());
          return;
        } catch (RuntimeException e) {
          last = e;
        }
        Thread.sleep(200);
      }
      close();
      throw new IllegalStateException(
          "temporal server start-dev did not answer on " + address() + " within " + READY_TIMEOUT
              + " (last: " + last + "): " + logTail());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("interrupted while waiting for Temporal", e);
    } finally {
      service.shutdownNow();
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(options.logFile(), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /**
   * Stops a server that an earlier process started on this file and never stopped, and waits until
   * its ports are free; returns its pid. A pid file naming any other process (its pid reused) is
   * only removed.
   */
  private static OptionalLong stopLeftover(Options options) throws IOException {
    Path pidFile = options.pidFile();
    if (!Files.exists(pidFile)) {
      return OptionalLong.empty();
    }
    Optional<ProcessHandle> leftover =
        parsePid(Files.readString(pidFile, StandardCharsets.US_ASCII))
            .flatMap(ProcessHandle::of)
            .filter(ProcessHandle::isAlive)
            .filter(p -> isServerOn(p, options.databaseFile()));
    if (leftover.isEmpty()) {
      Files.deleteIfExists(pidFile);
      return OptionalLong.empty();
    }
    ProcessHandle server = leftover.get();
    log.debug("stopping Temporal server {} left running on {}", server.pid(), options.databaseFile());
    server.destroy();
    if (!awaitExit(server, LEFTOVER_STOP)) {
      server.destroyForcibly();
      if (!awaitExit(server, LEFTOVER_STOP)) {
        throw new IllegalStateException("could not stop the Temporal server (pid " + server.pid()
            + ") left running on " + options.databaseFile());
      }
    }
    Files.deleteIfExists(pidFile);
    awaitFree(options.port(), LEFTOVER_STOP);
    awaitFree(options.uiPort(), LEFTOVER_STOP);
    return OptionalLong.of(server.pid());
  }

  /** Whether the process is {@code temporal server start-dev} on this database file. */
  private static boolean isServerOn(ProcessHandle process, Path databaseFile) {
    String commandLine = process.info().commandLine().orElse("");
    return commandLine.contains(" server start-dev ")
        && commandLine.contains(" --db-filename " + databaseFile + " ");
  }

  private static boolean awaitExit(ProcessHandle process, Duration timeout) {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      return !process.isAlive();
    }
  }

  /**
   * Waits until the port can be bound on 127.0.0.1, as the new server will; a port that some
   * other program holds is left for the server to report.
   */
  private static void awaitFree(int port, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return;
      } catch (IOException e) {
        if (Instant.now().isAfter(deadline)) {
          return;
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * The command, run through {@code setsid} where there is one: the server then gets no signal
   * meant for the terminal's foreground processes (Ctrl-C), only the one this JVM sends it. The
   * JVM's child is never a process group leader, so {@code setsid} runs the command in its own
   * process (same pid) rather than forking.
   */
  private static List<String> inSessionOfItsOwn(List<String> command) {
    Optional<Path> setsid = onPath("setsid");
    if (setsid.isEmpty()) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(command.size() + 1);
    wrapped.add(setsid.get().toString());
    wrapped.addAll(command);
    return wrapped;
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String directory : path.split(File.pathSeparator)) {
      if (!directory.isEmpty()) {
        Path candidate = Path.of(directory, name);
        if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Long> parsePid(String text) {
    try {
      return Optional.of(Long.parseLong(text.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
