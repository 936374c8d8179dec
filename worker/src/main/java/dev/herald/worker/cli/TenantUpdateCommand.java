package dev.herald.worker.cli;

import dev.herald.core.tenant.SubscriptionLimit;
import dev.herald.core.tenant.Tenant;
import dev.herald.core.tenant.TenantUpdate;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code herald tenant update <tenantId> [--webhooks-enabled true|false] [--max-subscriptions N]}. */
@Command(
    name = "update",
    description = "Change a tenant's settings; they apply from its next request.")
final class TenantUpdateCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "<tenantId>", description = "the tenant, ten_…")
  String tenantId;

  @Option(
      names = "--webhooks-enabled",
      arity = "1",
      paramLabel = "true|false",
      description = "false refuses every API call of the tenant with 403 webhooks_disabled")
  Boolean webhooksEnabled;

  @Option(
      names = "--max-subscriptions",
      paramLabel = "N|unlimited",
      converter = SubscriptionLimitConverter.class,
      description = "at most N subscriptions; unlimited clears the limit")
  SubscriptionLimit maxSubscriptions;

  @Mixin DatabaseOptions database;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    TenantUpdate update = new TenantUpdate(webhooksEnabled, maxSubscriptions);
    if (update.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "nothing to change: give --webhooks-enabled true|false, --max-subscriptions N|unlimited,"
              + " or both");
    }
    Optional<Tenant> updated;
    try (CliDatabase db = database.open()) {
      updated = DatabaseOptions.tenants(db).update(tenantId, update);
    }
    if (updated.isEmpty()) {
      return TenantCommand.noSuchTenant(spec, tenantId);
    }
    Tenant tenant = updated.get();
    PrintWriter out = spec.commandLine().getOut();
    out.println("tenant             " + tenant.id());
    out.println("name               " + tenant.name());
    out.println("webhooks enabled   " + tenant.webhooksEnabled());
    out.println("max subscriptions  " + new SubscriptionLimit(tenant.maxSubscriptions()));
    return 0;
  }
}
