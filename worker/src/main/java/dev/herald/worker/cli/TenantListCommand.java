package dev.herald.worker.cli;

import dev.herald.core.tenant.TenantSummary;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code herald tenant list}. */
@Command(name = "list", description = "List the tenants, oldest first, with their settings and live keys.")
final class TenantListCommand implements Callable<Integer> {

  @Mixin DatabaseOptions database;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    List<TenantSummary> summaries;
    try (CliDatabase db = database.open()) {
      summaries = DatabaseOptions.tenants(db).list();
    }
    if (summaries.isEmpty()) {
      spec.commandLine().getErr().println("No tenants yet: herald tenant create <name> makes one.");
      return 0;
    }
    TextTable table = new TextTable("ID", "NAME", "WEBHOOKS_ENABLED", "MAX_SUBSCRIPTIONS", "LIVE_KEYS");
    for (TenantSummary s : summaries) {
      Integer max = s.tenant().maxSubscriptions();
      table.row(
          s.tenant().id(),
          s.tenant().name(),
          String.valueOf(s.tenant().webhooksEnabled()),
          max == null ? "unlimited" : max.toString(),
          String.valueOf(s.liveKeys()));
    }
    table.print(spec.commandLine().getOut());
    return 0;
  }
}
