package dev.herald.worker.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar worker/target/herald.jar <command>} as a child process, configured only by the
 * environment it is given (none of the test's own {@code HERALD_*} variables), its output in a
 * file of the test's. Failsafe runs the integration tests after {@code package}, so the jar is the
 * one just built.
 */
final class HeraldProcess implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Process process;
  private final Path log;
  private final Thread killOnExit;

  private HeraldProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    // Should this JVM be stopped first, the child goes with it.
    this.killOnExit = new Thread(process::destroyForcibly);
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /** Starts {@code herald <args>}, its output in {@code <name>.log} in {@code directory}. */
  static HeraldProcess start(String name, Path directory, Map<String, String> env, String... args) {
    return start(name, directory, env, false, args);
  }

  /**
   * The same in a process group of its own, as a shell runs a command in the foreground: with
   * {@link #stopGroup} it gets the signal a terminal's Ctrl-C sends, to it and to every child it
   * left in its group. Needs {@code setsid}, which runs it in the same process (the test JVM's
   * child is never a group leader), so that its pid is the group's.
   */
  static HeraldProcess startAsGroup(String name, Path directory, Map<String, String> env, String... args) {
    return start(name, directory, env, true, args);
  }

  private static HeraldProcess start(
      String name, Path directory, Map<String, String> env, boolean ownGroup, String... args) {
    Path log = directory.resolve(name + ".log");
    try {
      ProcessBuilder builder = builder(directory, env, args);
      if (ownGroup) {
        builder.command().add(0, "setsid");
      }
      Process process = builder
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
      return new HeraldProcess(name, process, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code herald <args>} to its end and returns what it printed; fails unless it exits 0. */
  static String run(Path directory, Map<String, String> env, String... args)
      throws InterruptedException {
    String line = "herald " + String.join(" ", args);
    try (HeraldProcess p = start("herald-" + args[0] + "-" + System.nanoTime(), directory, env, args)) {
      if (!p.process.waitFor(90, TimeUnit.SECONDS)) {
        throw new AssertionError(line + " did not end in 90 s:\n" + p.tail());
      }
      if (p.process.exitValue() != 0) {
        throw new AssertionError(line + " exited " + p.process.exitValue() + ":\n" + p.tail());
      }
      return p.output();
    }
  }

  private static ProcessBuilder builder(Path directory, Map<String, String> env, String... args) {
    Path jar = RealTemporal.repositoryRoot().resolve("worker").resolve("target").resolve("herald.jar");
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError(jar + " is missing: the integration tests run with mvn verify");
    }
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("HERALD_"));
    builder.environment().putAll(env);
    return builder;
  }

  /** Polls {@code GET /healthcheck} on the admin port until it answers 200, or the process ends. */
  void awaitHealthy(int adminPort, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int last = -1;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(
            name + " exited " + process.exitValue() + " before it was healthy:\n" + tail());
      }
      last = healthStatus(adminPort);
      if (last == 200) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        name + " not healthy within " + timeout + " (last: " + last + "):\n" + tail());
  }

  /** The status of {@code GET /healthcheck} on the admin port, or -1 when nothing answers. */
  static int healthStatus(int adminPort) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/healthcheck"))
            .timeout(Duration.ofSeconds(10))
            .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for it to end by itself; returns its exit code. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " still running after " + timeout + ":\n" + tail());
    }
    return process.exitValue();
  }

  /** SIGTERM, as an orchestrator stops a process; returns its exit code. */
  int stop(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " still running " + timeout + " after SIGTERM:\n" + tail());
    }
    return process.exitValue();
  }

  /**
   * SIGTERM to its whole process group ({@link #startAsGroup}), as a terminal's Ctrl-C or a
   * supervisor stopping a process group signals every process in it; returns its exit code.
   */
  int stopGroup(Duration timeout) throws InterruptedException, IOException {
    Process kill = new ProcessBuilder("kill", "-TERM", "--", "-" + process.pid())
        .redirectErrorStream(true)
        .start();
    String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -TERM -" + process.pid() + " failed: " + said);
    }
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " still running " + timeout + " after SIGTERM to its group:\n" + tail());
    }
    return process.exitValue();
  }

  long pid() {
    return process.pid();
  }

  /** A line of a stack trace as Dropwizard's log prints it ({@code ! at …}) or as Java does. */
  static boolean isStackTraceLine(String line) {
    String t = line.strip();
    return t.startsWith("! ") || t.startsWith("at ") || t.startsWith("Caused by:")
        || t.matches("\\.\\.\\. \\d+ (common frames omitted|more)");
  }

  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  /** The last lines it printed, headed by its name. */
  String tail() {
    List<String> lines = output().lines().toList();
    return "--- last lines of " + log + "\n"
        + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  /** SIGKILL if it still runs. */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IllegalStateException e) {
      // This JVM is already shutting down.
    }
  }
}
