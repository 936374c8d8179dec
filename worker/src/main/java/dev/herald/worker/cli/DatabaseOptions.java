package dev.herald.worker.cli;

import dev.herald.core.db.Database;
import dev.herald.core.ids.Ids;
import dev.herald.core.tenant.TenantDao;
import java.time.Clock;
import picocli.CommandLine.Option;

/** Where a command finds its database: shared by the commands that work on it. */
final class DatabaseOptions {

  @Option(
      names = "--database-url",
      paramLabel = "URL",
      description =
          "JDBC URL of the database (default: HERALD_DATABASE_URL, else herald dev's database in"
              + " HERALD_DATA_DIR, else the configuration file's)")
  String databaseUrl;

  @Option(names = "--config", paramLabel = "FILE", description = "configuration file naming the database")
  String config;

  CliDatabase open() throws Exception {
    return CliDatabase.open(databaseUrl, config);
  }

  /** The tenants of a database whose schema has just been brought up to date. */
  static TenantDao tenants(CliDatabase db) {
    Database.migrate(db.dataSource());
    Clock clock = Clock.systemUTC();
    return new TenantDao(Database.jdbi(db.dataSource()), new Ids(clock), clock);
  }
}
