package dev.herald.testing.db;

import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link TestDatabase} for one test class: created before its first test and dropped after its
 * last. Register it as {@code @RegisterExtension static final TestDatabaseExtension db = new
 * TestDatabaseExtension();}.
 */
public final class TestDatabaseExtension implements BeforeAllCallback, AfterAllCallback {

  private TestDatabase database;

  @Override
  public void beforeAll(ExtensionContext context) {
    database = TestDatabase.create();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (database != null) {
      database.close();
      database = null;
    }
  }

  /** The class's database; only between its first and its last test. */
  public TestDatabase get() {
    if (database == null) {
      throw new IllegalStateException("the test class's database exists only while it runs");
    }
    return database;
  }

  public Jdbi jdbi() {
    return get().jdbi();
  }

  public DataSource dataSource() {
    return get().dataSource();
  }

  public String jdbcUrl() {
    return get().jdbcUrl();
  }
}
