package dev.herald.worker.cli;

import dev.herald.core.tenant.TenantDao;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code herald tenant key <tenantId> --scopes webhooks:read,events:publish}. */
@Command(name = "key", description = "Issue another key for a tenant, with the scopes given.")
final class TenantKeyCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "<tenantId>", description = "the tenant, ten_…")
  String tenantId;

  @Option(
      names = "--scopes",
      required = true,
      paramLabel = "SCOPES",
      converter = ScopeList.Converter.class,
      description = "comma-separated, at least one of: webhooks:read, webhooks:write, events:publish")
  ScopeList scopes;

  @Mixin DatabaseOptions database;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (CliDatabase db = database.open()) {
      TenantDao tenants = DatabaseOptions.tenants(db);
      if (tenants.find(tenantId).isEmpty()) {
        return TenantCommand.noSuchTenant(spec, tenantId);
      }
      spec.commandLine().getOut().println("tenant  " + tenantId);
      IssuedKeyPrinter.print(spec.commandLine(), tenants.issueKey(tenantId, scopes.scopes()));
    }
    return 0;
  }
}
