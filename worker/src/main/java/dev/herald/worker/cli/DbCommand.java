package dev.herald.worker.cli;

import dev.herald.core.db.Database;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code herald db migrate}. */
@Command(name = "db", description = "Database maintenance.", subcommands = DbCommand.Migrate.class)
public final class DbCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "migrate", description = "Bring the schema up to date.")
  static final class Migrate implements Callable<Integer> {
    @Mixin DatabaseOptions database;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      try (CliDatabase db = database.open()) {
        int applied = Database.migrate(db.dataSource());
        spec.commandLine().getOut().println(
            "schema up to date on " + db.describe() + " (" + applied + " migrations applied)");
      }
      return 0;
    }
  }
}
