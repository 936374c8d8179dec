package dev.herald.core.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An embedded PostgreSQL server whose data lives in a directory and survives restarts: what
 * {@code herald dev} runs when no database is named, and what tests use when no server is.
 */
public final class EmbeddedDatabase implements AutoCloseable {

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
