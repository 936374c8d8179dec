package dev.herald.worker.cli;

import dev.herald.core.db.Database;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code herald db migrate}. */
@Command(name = "db", description = "Database maintenance.", subcommands = DbCommand.Migrate.class)
public final class DbCommand implements Runnable {

  @Override
  public void run() {
    System.out.println("usage: herald db migrate [--config FILE]");
  }

  @Command(name = "migrate", description = "Bring the schema up to date.")
  static final class Migrate implements Callable<Integer> {
    @Option(names = "--config", description = "configuration file naming the database")
    String config;

    @Override
    public Integer call() throws Exception {
      try (CliDatabase db = CliDatabase.open(config)) {
        int applied = Database.migrate(db.dataSource());
        System.out.println("schema up to date on " + db.describe() + " (" + applied + " migrations applied)");
      }
      return 0;
    }
  }
}
