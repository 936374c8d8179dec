package dev.herald.worker.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@code herald dev} and the real-server tests find the {@code temporal} command line. */
class TemporalCliTest {

  @TempDir Path dir;

  @Test
  void anExecutableNamedByHeraldTemporalCliComesFirst() throws IOException {
    Path named = executable(dir.resolve("named/temporal"));
    Path onPath = executable(dir.resolve("bin/temporal"));

    assertThat(TemporalCli.locate(Map.of(
        "HERALD_TEMPORAL_CLI", named.toString(), "PATH", onPath.getParent().toString())))
        .contains(named);
  }

  @Test
  void noneMeansNoCliEvenWhenOneIsOnThePath() throws IOException {
    Path onPath = executable(dir.resolve("bin/temporal"));

    assertThat(TemporalCli.locate(Map.of("HERALD_TEMPORAL_CLI", "none", "PATH", onPath.getParent().toString())))
        .isEmpty();
  }

  @Test
  void aNamedFileThatCannotRunIsAnErrorNamingIt() throws IOException {
    Path notExecutable = Files.writeString(dir.resolve("temporal"), "");

    assertThatThrownBy(() -> TemporalCli.locate(Map.of("HERALD_TEMPORAL_CLI", notExecutable.toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(notExecutable.toString());
  }

  @Test
  void thePathIsSearchedInOrderSkippingDirectoriesAndFilesThatCannotRun() throws IOException {
    Files.createDirectories(dir.resolve("a/temporal"));
    Files.createDirectories(dir.resolve("b"));
    Files.writeString(dir.resolve("b/temporal"), "");
    Path found = executable(dir.resolve("c/temporal"));
    executable(dir.resolve("d/temporal"));
    String path = String.join(":", dir.resolve("a").toString(), dir.resolve("b").toString(),
        dir.resolve("c").toString(), dir.resolve("d").toString());

    assertThat(TemporalCli.locate(Map.of("PATH", path, "HOME", dir.toString()))).contains(found);
  }

  @Test
  void theInstallScriptsCacheIsTheLastPlaceLooked() throws IOException {
    Path cached = executable(dir.resolve("cache/herald/temporal-cli/" + TemporalCli.PINNED_VERSION + "/temporal"));
    Map<String, String> env = Map.of("PATH", dir.resolve("empty").toString(), "XDG_CACHE_HOME", dir.resolve("cache").toString());

    assertThat(TemporalCli.installedBy(env)).isEqualTo(cached);
    assertThat(TemporalCli.locate(env)).contains(cached);
    assertThat(TemporalCli.installedBy(Map.of("HOME", "/home/op")))
        .isEqualTo(Path.of("/home/op/.cache/herald/temporal-cli", TemporalCli.PINNED_VERSION, "temporal"));
  }

  @Test
  void withNothingAnywhereThereIsNoCli() {
    assertThat(TemporalCli.locate(Map.of("PATH", dir.toString(), "XDG_CACHE_HOME", dir.toString()))).isEmpty();
  }

  @Test
  void theInstallScriptBuildsThePinnedVersion() throws IOException {
    Path script = Path.of("").toAbsolutePath().getParent().resolve("scripts/install-temporal-cli");

    assertThat(Files.readString(script))
        .contains("version=${HERALD_TEMPORAL_CLI_VERSION:-" + TemporalCli.PINNED_VERSION + "}");
  }

  private static Path executable(Path path) throws IOException {
    Files.createDirectories(path.getParent());
    Files.writeString(path, "#!/bin/sh\n");
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    return path;
  }
}
