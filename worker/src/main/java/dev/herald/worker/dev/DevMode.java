package dev.herald.worker.dev;

import dev.herald.api.HeraldApplication;
import dev.herald.worker.WorkerExtension;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code herald dev}: embedded PostgreSQL (unless {@code HERALD_DATABASE_URL}), a Temporal server
 * on 127.0.0.1 ({@link DevTemporal}: the real one with its Web UI when the {@code temporal} command
 * line is there, else the in-memory one), the worker and the API, in one JVM.
 */
public final class DevMode {

  private static final Logger log = LoggerFactory.getLogger(DevMode.class);

  private DevMode() {}

  public static void run(DevSettings settings) throws Exception {
    // Stopped by DevServices, in order: Temporal, then PostgreSQL, after all of Herald (the
    // worker, the Temporal connection, the database pool) has stopped.
    DevServices services = new DevServices();
    DevDatabase database = services.started(DevDatabase.open(settings, false));
    DevTemporal temporal;
    try {
      temporal = services.started(DevTemporal.start(settings, System.getenv()));
    } catch (RuntimeException e) {
      services.close();
      throw e;
    }
    // herald-dev.yml names placeholders; Dropwizard's dw.* properties override them.
    System.setProperty("dw.database.url", database.url());
    if (!database.isEmbedded()) {
      setIfPresent("dw.database.user", System.getenv("HERALD_DATABASE_USER"));
      setIfPresent("dw.database.password", System.getenv("HERALD_DATABASE_PASSWORD"));
    }
    System.setProperty("dw.temporal.address", temporal.address());
    if (isBlank(System.getenv("HERALD_SECRET_KEY"))) {
      System.setProperty("dw.security.secretKey", DevSecretKey.readOrCreate(settings.secretKeyFile()));
      log.info("endpoint secrets are encrypted with the key in {}", settings.secretKeyFile());
    }
    String networks = System.getenv("HERALD_ALLOWED_NETWORKS");
    log.warn(
        "development mode: endpoint URLs {} and plain http are allowed; database {}",
        isBlank(networks) ? "on loopback (127.0.0.0/8, ::1)" : "in " + networks.strip(),
        database.isEmbedded() ? "embedded in " + settings.postgresDirectory() : database.url());
    new HeraldApplication(
            List.of(services, new DevTenant(settings, temporal), new WorkerExtension()),
            Clock.systemUTC())
        .run("server", "herald-dev.yml");
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  private static void setIfPresent(String property, String value) {
    if (value != null && !value.isBlank()) {
      System.setProperty(property, value);
    }
  }
}
