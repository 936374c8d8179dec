package dev.herald.worker.cli;

import dev.herald.core.db.Database;
import dev.herald.core.ids.Ids;
import dev.herald.core.tenant.IssuedKey;
import dev.herald.core.tenant.Scope;
import dev.herald.core.tenant.Tenant;
import dev.herald.core.tenant.TenantDao;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code herald tenant …}: tenants and their API keys. */
@Command(name = "tenant", description = "Tenants and API keys.", subcommands = TenantCommand.Create.class)
public final class TenantCommand implements Runnable {

  @Override
  public void run() {
    System.out.println("usage: herald tenant create <name> [--max-subscriptions N] [--config FILE]");
  }

  @Command(name = "create", description = "Create a tenant and print its id and a key with every scope.")
  static final class Create implements Callable<Integer> {
    @Parameters(index = "0", description = "the tenant's name")
    String name;

    @Option(names = "--max-subscriptions", description = "at most this many subscriptions")
    Integer maxSubscriptions;

    @Option(names = "--config", description = "configuration file naming the database")
    String config;

    @Override
    public Integer call() throws Exception {
      try (CliDatabase db = CliDatabase.open(config)) {
        Database.migrate(db.dataSource());
        Clock clock = Clock.systemUTC();
        TenantDao tenants = new TenantDao(Database.jdbi(db.dataSource()), new Ids(clock), clock);
        Tenant tenant = tenants.create(name, maxSubscriptions);
        IssuedKey key = tenants.issueKey(tenant.id(), Scope.all());
        System.out.println("tenant " + tenant.id());
        System.out.println("key    " + key.key());
        System.err.println("The key is shown this once; Herald keeps only its hash.");
      }
      return 0;
    }
  }
}
