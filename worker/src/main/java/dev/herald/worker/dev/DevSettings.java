package dev.herald.worker.dev;

import java.nio.file.Path;
import java.util.Map;

/**
 * What {@code herald dev} reads from the environment.
 *
 * @param dataDirectory {@code HERALD_DATA_DIR}, default {@code ./.herald}: embedded PostgreSQL's
 *     data, the Temporal server's database and the dev API key live here and survive restarts
 * @param databaseUrl {@code HERALD_DATABASE_URL}: a PostgreSQL server to use instead of the
 *     embedded one, or {@code null}
 * @param temporalAddress {@code HERALD_TEMPORAL_ADDRESS}: a Temporal server to use instead of
 *     starting one, or {@code null}
 * @param temporalPort {@code HERALD_TEMPORAL_PORT}, default 7233: the port of the Temporal
 *     server that {@code herald dev} starts
 * @param temporalUiPort {@code HERALD_TEMPORAL_UI_PORT}, default the Temporal port + 1000 (8233)
 * @param apiPort {@code HERALD_API_PORT}, default 8080 (read by herald-dev.yml; shown here)
 */
public record DevSettings(
    Path dataDirectory,
    String databaseUrl,
    String temporalAddress,
    int temporalPort,
    int temporalUiPort,
    int apiPort) {

  public static DevSettings from(Map<String, String> env) {
    int temporalPort = Integer.parseInt(env.getOrDefault("HERALD_TEMPORAL_PORT", "7233"));
    return new DevSettings(
        Path.of(env.getOrDefault("HERALD_DATA_DIR", ".herald")).toAbsolutePath().normalize(),
        blankToNull(env.get("HERALD_DATABASE_URL")),
        blankToNull(env.get("HERALD_TEMPORAL_ADDRESS")),
        temporalPort,
        Integer.parseInt(env.getOrDefault("HERALD_TEMPORAL_UI_PORT", Integer.toString(temporalPort + 1000))),
        Integer.parseInt(env.getOrDefault("HERALD_API_PORT", "8080")));
  }

  /** Where embedded PostgreSQL keeps its data. */
  public Path postgresDirectory() {
    return dataDirectory.resolve("postgres");
  }

  /** The Temporal server's SQLite database (its log and pid file sit beside it). */
  public Path temporalDatabase() {
    return dataDirectory.resolve("temporal").resolve("temporal.db");
  }

  /** The file holding the dev tenant's API key. */
  public Path apiKeyFile() {
    return dataDirectory.resolve("dev-api-key");
  }

  /** The file holding the key that encrypts endpoint secrets, made on first start. */
  public Path secretKeyFile() {
    return dataDirectory.resolve("secret-key");
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
