package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.worker.temporal.TemporalCliServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml's one-shot {@code temporal-setup} job runs {@code deploy/temporal/setup-herald.sh}
 * with the {@code temporal} CLI of the admin-tools image. No Docker engine runs here, so the script
 * itself is run against the real server with the same CLI release: it creates Herald's search
 * attributes, and running it again (a restarted stack) still succeeds.
 */
class ComposeSetupScriptIT {

  @TempDir static Path directory;
  private static TemporalCliServer server;

  @BeforeAll
  static void start() {
    server = RealTemporal.start(directory);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theSetupJobCreatesHeraldsSearchAttributesAndCanRunAgain() throws Exception {
    String first = runSetup();
    assertThat(first)
        .contains("temporal-setup: search attribute HeraldTenantId:Keyword: done")
        .contains("temporal-setup: search attribute HeraldAttempts:Int: done");

    // The CLI's create succeeds for an attribute that exists with the same type.
    assertThat(runSetup()).containsPattern("search attribute HeraldDeliveryStatus:Keyword: (done|already exists)");

    assertThat(RealTemporal.cli(server, "operator", "search-attribute", "list"))
        .containsPattern("HeraldTenantId\\s+Keyword")
        .containsPattern("HeraldSubscriptionId\\s+Keyword")
        .containsPattern("HeraldEventType\\s+Keyword")
        .containsPattern("HeraldDeliveryStatus\\s+Keyword")
        .containsPattern("HeraldAttempts\\s+Int");
  }

  private static String runSetup() throws IOException, InterruptedException {
    Path script = RealTemporal.repositoryRoot().resolve("deploy/temporal/setup-herald.sh");
    ProcessBuilder builder = new ProcessBuilder("sh", script.toString()).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("PATH", RealTemporal.binary().getParent() + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("TEMPORAL_ADDRESS", server.address());
    env.put("TEMPORAL_NAMESPACE", "default");
    env.put("SETUP_TIMEOUT_SECONDS", "60");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("setup-herald.sh finished").isTrue();
    assertThat(process.exitValue()).as("setup-herald.sh exit code; output:%n%s", output).isZero();
    return output;
  }
}
