package dev.herald.testing.db;

import dev.herald.core.db.Database;
import dev.herald.core.db.EmbeddedDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh, migrated PostgreSQL database for one test class: on the server named by {@code
 * HERALD_TEST_DATABASE_URL} (a JDBC URL whose user may create databases), otherwise on an embedded
 * server started once per JVM. Closing drops the database.
 */
public final class TestDatabase implements AutoCloseable {

  /** The environment variable naming a PostgreSQL server for tests. */
  public static final String ENV = "HERALD_TEST_DATABASE_URL";

  private static String adminUrl;

  private final String name;
  private final String jdbcUrl;
  private final PGSimpleDataSource dataSource;
  private final Jdbi jdbi;

  private TestDatabase(String name, String jdbcUrl) {
    this.name = name;
    this.jdbcUrl = jdbcUrl;
    this.dataSource = new PGSimpleDataSource();
    dataSource.setURL(jdbcUrl);
    this.jdbi = Database.jdbi(dataSource);
  }

  /** Creates and migrates a new database. */
  public static TestDatabase create() {
    String admin = adminUrl();
    String name = "herald_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    execute(admin, "CREATE DATABASE " + name);
    TestDatabase db = new TestDatabase(name, withDatabase(admin, name));
    Database.migrate(db.dataSource);
    return db;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  @Override
  public void close() {
    String drop = "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)";
    // FORCE cannot end a session the tests' role may not signal, such as an autovacuum worker
    // that started on the new database (unless the role has pg_signal_backend): it ends soon.
    for (int tries = 1; ; tries++) {
      try {
        execute(adminUrl(), drop);
        return;
      } catch (IllegalStateException e) {
        if (tries == 20) {
          throw e;
        }
        try {
          Thread.sleep(250);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static synchronized String adminUrl() {
    if (adminUrl == null) {
      String configured = System.getenv(ENV);
      if (configured != null && !configured.isBlank()) {
        adminUrl = configured;
      } else {
        EmbeddedDatabase embedded = EmbeddedDatabase.startTemporary();
        Runtime.getRuntime().addShutdownHook(new Thread(embedded::close));
        adminUrl = embedded.jdbcUrl("postgres");
      }
    }
    return adminUrl;
  }

  /** The same server and parameters, another database. */
  static String withDatabase(String url, String database) {
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    String params = query < 0 ? "" : url.substring(query);
    int slash = base.lastIndexOf('/');
    return base.substring(0, slash + 1) + database + params;
  }

  private static void execute(String url, String sql) {
    try (Connection c = DriverManager.getConnection(url)) {
      c.createStatement().execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("could not run '" + sql + "' on " + url, e);
    }
  }
}
