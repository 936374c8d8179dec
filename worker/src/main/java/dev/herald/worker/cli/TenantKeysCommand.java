package dev.herald.worker.cli;

import dev.herald.core.tenant.StoredKey;
import dev.herald.core.tenant.TenantDao;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code herald tenant keys <tenantId>}: where the prefix to revoke is found. */
@Command(name = "keys", description = "List a tenant's keys, live and revoked, oldest first.")
final class TenantKeysCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "<tenantId>", description = "the tenant, ten_…")
  String tenantId;

  @Mixin DatabaseOptions database;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    List<StoredKey> keys;
    try (CliDatabase db = database.open()) {
      TenantDao tenants = DatabaseOptions.tenants(db);
      if (tenants.find(tenantId).isEmpty()) {
        return TenantCommand.noSuchTenant(spec, tenantId);
      }
      keys = tenants.listKeys(tenantId);
    }
    if (keys.isEmpty()) {
      spec.commandLine().getErr().println(
          "Tenant " + tenantId + " has no keys: herald tenant key " + tenantId + " --scopes … makes one.");
      return 0;
    }
    TextTable table = new TextTable("PREFIX", "SCOPES", "CREATED", "REVOKED");
    for (StoredKey k : keys) {
      table.row(
          k.key().prefix(),
          ScopeList.format(k.key().scopes()),
          TenantCommand.formatInstant(k.createdAt()),
          TenantCommand.formatInstant(k.revokedAt()));
    }
    table.print(spec.commandLine().getOut());
    return 0;
  }
}
