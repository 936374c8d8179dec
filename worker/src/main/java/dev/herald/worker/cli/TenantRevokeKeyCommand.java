package dev.herald.worker.cli;

import dev.herald.core.tenant.StoredKey;
import dev.herald.core.tenant.TenantDao;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code herald tenant revoke-key <keyPrefix>}. */
@Command(
    name = "revoke-key",
    description = "Revoke a key: its next request answers 401. herald tenant keys shows the prefixes.")
final class TenantRevokeKeyCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      paramLabel = "<keyPrefix>",
      description = "the key's prefix: its first 12 characters, hrk_…")
  String prefix;

  @Mixin DatabaseOptions database;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Optional<StoredKey> revoked;
    Optional<StoredKey> revokedBefore = Optional.empty();
    try (CliDatabase db = database.open()) {
      TenantDao tenants = DatabaseOptions.tenants(db);
      revoked = tenants.revokeKey(prefix);
      if (revoked.isEmpty()) {
        revokedBefore = tenants.findKeyByPrefix(prefix);
      }
    }
    if (revoked.isPresent()) {
      StoredKey key = revoked.get();
      spec.commandLine().getOut().println(
          "revoked " + key.key().prefix() + " of tenant " + key.key().tenantId()
              + " (" + ScopeList.format(key.key().scopes()) + ")");
      return 0;
    }
    if (revokedBefore.isPresent()) {
      return TenantCommand.fail(
          spec,
          "the key " + prefix + " was already revoked at "
              + TenantCommand.formatInstant(revokedBefore.get().revokedAt()));
    }
    return TenantCommand.fail(
        spec,
        "no key has the prefix '" + prefix + "' (a prefix is a key's first 12 characters, as"
            + " herald tenant keys <tenantId> lists them)");
  }
}
