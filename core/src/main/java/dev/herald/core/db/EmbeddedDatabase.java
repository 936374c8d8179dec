package dev.herald.core.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An embedded PostgreSQL server whose data lives in a directory and survives restarts: what
 * {@code herald dev} runs when no database is named, and what tests use when no server is.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  /**
   * The file that the embedded server's owner keeps locked while it runs (zonky's {@code
   * epg-lock}): free while a server still runs means that its owner died without stopping it.
   */
  private static final String OWNER_LOCK = "epg-lock";

  /** How long a fast shutdown of a leftover server may take before it is shut down at once. */
  private static final Duration LEFTOVER_FAST_STOP = Duration.ofSeconds(20);

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts a server on the data directory, creating it on first use; stopped when the JVM exits. */
  public static EmbeddedDatabase start(Path dataDirectory) {
    return start(dataDirectory, true);
  }

  /**
   * Starts a server on the data directory, creating it on first use.
   *
   * @param stopAtExit whether a JVM shutdown hook of its own stops it; false when the caller
   *     stops it in order, after what still uses it (a hook runs at once, beside the others)
   */
  public static EmbeddedDatabase start(Path dataDirectory, boolean stopAtExit) {
    try {
      Files.createDirectories(dataDirectory);
      return new EmbeddedDatabase(
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              .setPGStartupWait(Duration.ofSeconds(60))
              .setRegisterShutdownHook(stopAtExit)
              .start());
    } catch (IOException e) {
      throw new UncheckedIOException("could not start embedded PostgreSQL in " + dataDirectory, e);
    }
  }

  /**
   * What {@link #stopLeftover} found and did.
   *
   * @param pid the process named by PostgreSQL's {@code postmaster.pid}
   * @param stopped true when that process was a server on this data directory, left running by a
   *     process that died without stopping it, and it was stopped; false when it was some other
   *     process (its pid reused) and only the stale {@code postmaster.pid} was removed
   */
  public record Leftover(long pid, boolean stopped) {}

  /**
   * Before a start on this data directory: stops the server that an earlier process started on it
   * and never stopped (killed with -9, its server kept running and holding the directory, so that
   * a new one would wait for it in vain), or removes a {@code postmaster.pid} whose pid now
   * belongs to another process. Only the process that the directory's own {@code postmaster.pid}
   * names is ever signalled, and only when it is PostgreSQL running on this directory and no live
   * process owns the directory (holds {@code epg-lock}).
   *
   * @return what was found and done; empty when there was nothing to do
   * @throws IllegalStateException when a live process owns the directory (another {@code herald
   *     dev} on it), or a leftover server could not be stopped
   */
  public static Optional<Leftover> stopLeftover(Path dataDirectory) {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    try (FileChannel channel =
        FileChannel.open(
            dataDirectory.resolve(OWNER_LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock owner;
      try {
        owner = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        return Optional.empty(); // this JVM runs it
      }
      if (owner == null) {
        throw new IllegalStateException(
            "the PostgreSQL data directory " + dataDirectory + " is in use by another running"
                + " process (another herald dev with the same HERALD_DATA_DIR?)");
      }
      return stopLeftoverOwnedHere(dataDirectory, pidFile);
    } catch (IOException e) {
      throw new UncheckedIOException("could not check " + pidFile, e);
    }
  }

  private static Optional<Leftover> stopLeftoverOwnedHere(Path dataDirectory, Path pidFile)
      throws IOException {
    List<String> lines = Files.readAllLines(pidFile);
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (IndexOutOfBoundsException | NumberFormatException e) {
      return Optional.empty(); // being written, or garbled: PostgreSQL says which
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return Optional.empty(); // PostgreSQL removes the pid file of a server that is gone
    }
    ProcessHandle.Info info = process.get().info();
    if (info.command().isEmpty() || info.commandLine().isEmpty()) {
      throw new IllegalStateException(
          "PostgreSQL's " + pidFile + " names process " + pid + ", which runs but cannot be"
              + " inspected: stop it if it is PostgreSQL, else remove the file");
    }
    String binary = Path.of(info.command().get()).getFileName().toString();
    String commandLine = info.commandLine().get();
    String recordedDirectory = lines.size() > 1 ? lines.get(1).trim() : "";
    boolean onThisDirectory =
        names(commandLine, dataDirectory.toAbsolutePath().toString())
            || (!recordedDirectory.isEmpty() && names(commandLine, recordedDirectory));
    if (!binary.equals("postgres") || !onThisDirectory) {
      // The pid was reused: PostgreSQL would take that process for a server still running.
      Files.deleteIfExists(pidFile);
      return Optional.of(new Leftover(pid, false));
    }
    // SIGINT is PostgreSQL's fast shutdown (sessions ended, a checkpoint written); SIGQUIT, its
    // immediate one, should that not end in time (recovered from the log at the next start).
    if (!signal(process.get(), "INT", LEFTOVER_FAST_STOP)
        && !signal(process.get(), "QUIT", Duration.ofSeconds(10))) {
      throw new IllegalStateException(
          "could not stop PostgreSQL (pid " + pid + ") left running on " + dataDirectory);
    }
    return Optional.of(new Leftover(pid, true));
  }

  /** Whether the command line has the directory as an argument of its own ({@code -D dir}). */
  private static boolean names(String commandLine, String directory) {
    String padded = " " + commandLine + " ";
    return padded.contains(" " + directory + " ") || padded.contains(" -D" + directory + " ");
  }

  /** Sends the signal with {@code kill} (SIGTERM when that fails) and waits for the exit. */
  private static boolean signal(ProcessHandle process, String signal, Duration timeout) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        process.destroy();
      }
    } catch (IOException e) {
      process.destroy();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      return !process.isAlive();
    }
  }

  /** A server started in a fresh temporary directory, removed on close. */
  public static EmbeddedDatabase startTemporary() {
    try {
      return new EmbeddedDatabase(
          EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start());
    } catch (IOException e) {
      throw new UncheckedIOException("could not start embedded PostgreSQL", e);
    }
  }

  /**
   * The JDBC URL of a server already running on this data directory (another process's), read
   * from PostgreSQL's own {@code postmaster.pid}; empty when none runs.
   */
  public static Optional<String> runningServerUrl(Path dataDirectory) {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    try {
      if (!Files.exists(pidFile)) {
        return Optional.empty();
      }
      List<String> lines = Files.readAllLines(pidFile);
      long pid = Long.parseLong(lines.get(0).trim());
      if (lines.size() < 4 || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == false) {
        return Optional.empty();
      }
      return Optional.of(url(Integer.parseInt(lines.get(3).trim()), "postgres"));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  public String jdbcUrl(String database) {
    return url(postgres.getPort(), database);
  }

  private static String url(int port, String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
