package dev.herald.core.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.TemplateEngine;
import org.jdbi.v3.postgres.PostgresPlugin;

/** Opens Herald's store: JDBI over a data source, and the versioned schema migrations. */
public final class Database {

  private Database() {}

  /**
   * A JDBI instance with PostgreSQL's types (arrays, jsonb as text) installed, and no SQL
   * templating: Herald's statements are plain SQL with named parameters and define no {@code
   * <attribute>}s, and JDBI's default template engine copied every statement's text into a new
   * string on each execution to look for them.
   */
  public static Jdbi jdbi(DataSource dataSource) {
    Jdbi jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
    jdbi.setTemplateEngine(TemplateEngine.NOP);
    return jdbi;
  }

  /**
   * Brings the schema up to date with the migrations under {@code db/migration}. Safe to run from
   * several processes at once: Flyway serialises them with a lock.
   *
   * @return the number of migrations applied
   */
  public static int migrate(DataSource dataSource) {
    return Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .load()
        .migrate()
        .migrationsExecuted;
  }
}
