package dev.herald.worker.temporal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the {@code temporal} command line, whose {@code server start-dev} is the real Temporal
 * server on SQLite with its Web UI: {@code HERALD_TEMPORAL_CLI} (a path, or {@code none} for
 * none), else {@code temporal} on {@code PATH}, else the binary that {@code
 * scripts/install-temporal-cli} caches.
 */
public final class TemporalCli {

  /** The release {@code scripts/install-temporal-cli} builds; keep the two in step. */
  public static final String PINNED_VERSION = "v1.5.1";

  private TemporalCli() {}

  /** The binary to run, or empty when there is none (or {@code HERALD_TEMPORAL_CLI=none}). */
  public static Optional<Path> locate(Map<String, String> env) {
    String named = env.get("HERALD_TEMPORAL_CLI");
    if (named != null && !named.isBlank()) {
      if (named.equals("none")) {
        return Optional.empty();
      }
      Path path = Path.of(named);
      if (!Files.isExecutable(path)) {
        throw new IllegalArgumentException(
            "HERALD_TEMPORAL_CLI names " + named + ", which is not an executable file");
      }
      return Optional.of(path.toAbsolutePath());
    }
    String searchPath = env.getOrDefault("PATH", "");
    for (String directory : searchPath.split(File.pathSeparator)) {
      if (!directory.isEmpty()) {
        Path candidate = Path.of(directory, "temporal");
        if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
          return Optional.of(candidate.toAbsolutePath());
        }
      }
    }
    Path cached = installedBy(env);
    return Files.isExecutable(cached) ? Optional.of(cached) : Optional.empty();
  }

  /** Where {@code scripts/install-temporal-cli} puts the binary. */
  public static Path installedBy(Map<String, String> env) {
    String cacheHome = env.get("XDG_CACHE_HOME");
    Path cache =
        cacheHome == null || cacheHome.isBlank()
            ? Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".cache")
            : Path.of(cacheHome);
    return cache.resolve("herald").resolve("temporal-cli").resolve(PINNED_VERSION).resolve("temporal");
  }
}
