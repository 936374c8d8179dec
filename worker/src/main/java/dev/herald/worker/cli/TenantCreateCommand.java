package dev.herald.worker.cli;

import dev.herald.core.tenant.Scope;
import dev.herald.core.tenant.SubscriptionLimit;
import dev.herald.core.tenant.Tenant;
import dev.herald.core.tenant.TenantDao;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code herald tenant create <name> [--max-subscriptions N]}. */
@Command(name = "create", description = "Create a tenant and print its id and a key with every scope.")
final class TenantCreateCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "<name>", description = "the tenant's name")
  String name;

  @Option(
      names = "--max-subscriptions",
      paramLabel = "N",
      converter = SubscriptionLimitConverter.class,
      description = "at most N subscriptions (default: unlimited)")
  SubscriptionLimit maxSubscriptions = SubscriptionLimit.UNLIMITED;

  @Mixin DatabaseOptions database;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (name.isBlank()) {
      throw new ParameterException(spec.commandLine(), "the tenant's name cannot be blank");
    }
    try (CliDatabase db = database.open()) {
      TenantDao tenants = DatabaseOptions.tenants(db);
      Tenant tenant = tenants.create(name, maxSubscriptions.max());
      spec.commandLine().getOut().println("tenant  " + tenant.id());
      IssuedKeyPrinter.print(spec.commandLine(), tenants.issueKey(tenant.id(), Scope.all()));
    }
    return 0;
  }
}
