package dev.herald.worker.dev;

import dev.herald.core.db.EmbeddedDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database of {@code herald dev}: the server named by {@code HERALD_DATABASE_URL}, else the
 * embedded one in the data directory, whose {@code herald} database is created on first start.
 */
public final class DevDatabase implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DevDatabase.class);

  private final EmbeddedDatabase embedded;
  private final String url;

  private DevDatabase(EmbeddedDatabase embedded, String url) {
    this.embedded = embedded;
    this.url = url;
  }

  /** Starts embedded PostgreSQL unless a URL is given; it stops when the JVM exits. */
  public static DevDatabase open(DevSettings settings) {
    return open(settings, true);
  }

  /**
   * Starts embedded PostgreSQL unless a URL is given.
   *
   * @param stopAtExit false when the caller stops it after what uses it ({@code herald dev}'s
   *     {@link DevServices}): PostgreSQL's own shutdown hook would stop it while in-flight
   *     attempts still record themselves
   */
  public static DevDatabase open(DevSettings settings, boolean stopAtExit) {
    if (settings.databaseUrl() != null) {
      return new DevDatabase(null, settings.databaseUrl());
    }
    // A herald dev killed with -9 leaves its PostgreSQL running on the directory: stopped first,
    // else the new server would wait for the directory in vain.
    EmbeddedDatabase.stopLeftover(settings.postgresDirectory()).ifPresent(leftover -> log.warn(
        leftover.stopped()
            ? "herald dev: stopped PostgreSQL left running by an earlier herald dev (pid {})"
            : "herald dev: removed a stale postmaster.pid naming pid {}, which is not PostgreSQL",
        leftover.pid()));
    EmbeddedDatabase embedded = EmbeddedDatabase.start(settings.postgresDirectory(), stopAtExit);
    createIfMissing(embedded.jdbcUrl("postgres"), "herald");
    return new DevDatabase(embedded, embedded.jdbcUrl("herald"));
  }

  /**
   * For the command line: the database a running {@code herald dev} uses, found through
   * PostgreSQL's own pid file in the data directory; empty when no dev server runs there.
   */
  public static Optional<String> runningUrl(DevSettings settings) {
    return EmbeddedDatabase.runningServerUrl(settings.postgresDirectory())
        .map(url -> url.replace("/postgres?", "/herald?"));
  }

  public String url() {
    return url;
  }

  public boolean isEmbedded() {
    return embedded != null;
  }

  private static void createIfMissing(String adminUrl, String name) {
    try (Connection c = DriverManager.getConnection(adminUrl)) {
      var rs = c.createStatement().executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'");
      if (!rs.next()) {
        c.createStatement().execute("CREATE DATABASE " + name);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not create the " + name + " database", e);
    }
  }

  @Override
  public void close() {
    if (embedded != null) {
      embedded.close();
    }
  }
}
