package dev.herald.worker.dev;

import dev.herald.api.HeraldContext;
import dev.herald.api.HeraldExtension;
import dev.herald.core.net.Cidr;
import dev.herald.core.tenant.Scope;
import dev.herald.core.tenant.Tenant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Gives {@code herald dev} a tenant named {@code dev} and a key with every scope, written to
 * {@code $HERALD_DATA_DIR/dev-api-key} on first start and reused afterwards; prints both once the
 * server is up, with what development mode allows.
 */
public final class DevTenant implements HeraldExtension {

  private final DevSettings settings;
  private final DevTemporal temporal;

  public DevTenant(DevSettings settings, DevTemporal temporal) {
    this.settings = settings;
    this.temporal = temporal;
  }

  @Override
  public void run(HeraldContext c) throws IOException {
    Tenant tenant = c.tenants().findByName("dev").orElseGet(() -> c.tenants().create("dev", null));
    Path keyFile = settings.apiKeyFile();
    String key = Files.exists(keyFile) ? Files.readString(keyFile, StandardCharsets.UTF_8).trim() : null;
    boolean valid =
        key != null
            && c.tenants().findKey(key).map(k -> k.tenantId().equals(tenant.id())).orElse(false);
    if (!valid) {
      key = c.tenants().issueKey(tenant.id(), Scope.all()).key();
      Files.createDirectories(keyFile.getParent());
      Files.writeString(keyFile, key + "\n", StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // Not a POSIX file system: the file keeps its default permissions.
      }
    }
    String banner = banner(tenant, key, c.addressGuard().allowedNetworks());
    c.environment().lifecycle().addServerLifecycleListener(server -> System.out.println(banner));
  }

  private String banner(Tenant tenant, String key, List<Cidr> allowedNetworks) {
    return String.join(
        "\n",
        "",
        "  Herald dev is running",
        "  API       http://127.0.0.1:" + settings.apiPort() + "/v1",
        "  Temporal  " + temporal.describe(),
        "  UI        " + temporal.ui(),
        "  Data      " + settings.dataDirectory(),
        "  Tenant    dev (" + tenant.id() + ")",
        "  API key   " + key + "   (also in " + settings.apiKeyFile() + ")",
        "",
        "  Development mode: endpoint URLs in " + networks(allowedNetworks)
            + " and plain http are allowed.",
        "");
  }

  /** The allowed networks as the banner names them: the default as loopback, others as given. */
  private static String networks(List<Cidr> allowed) {
    if (allowed.equals(List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128")))) {
      return "loopback (127.0.0.0/8, ::1)";
    }
    if (allowed.isEmpty()) {
      return "no internal network";
    }
    return allowed.stream().map(Cidr::toString).collect(Collectors.joining(", "))
        + " (HERALD_ALLOWED_NETWORKS)";
  }
}
