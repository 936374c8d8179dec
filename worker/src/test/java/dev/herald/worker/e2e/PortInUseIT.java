package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.crypto.SecretKeyRing;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A port already taken ends {@code herald server} and {@code herald worker} at once with one line
 * naming the port and its variable, and exit code 1: no stack trace, nothing else started.
 */
class PortInUseIT {

  @TempDir Path directory;

  @Test
  void theServersApiPortInUseIsOneLineNamingHeraldApiPort() throws Exception {
    try (ServerSocket taken = takeLoopbackPort()) {
      int port = taken.getLocalPort();
      List<String> output = runUntilExit("server", Map.of(
          "HERALD_API_PORT", Integer.toString(port),
          "HERALD_ADMIN_PORT", Integer.toString(RealTemporal.freePort())));

      assertThat(output).filteredOn(l -> l.contains("HERALD_API_PORT"))
          .containsExactly("herald: port " + port + " of the API (HERALD_API_PORT) is already in use"
              + " on every interface; stop what listens there or set HERALD_API_PORT to another port");
    }
  }

  @Test
  void theWorkersAdminPortInUseIsOneLineNamingHeraldAdminPort() throws Exception {
    try (ServerSocket taken = takeLoopbackPort()) {
      int port = taken.getLocalPort();
      List<String> output =
          runUntilExit("worker", Map.of("HERALD_ADMIN_PORT", Integer.toString(port)));

      assertThat(output).filteredOn(l -> l.contains("HERALD_ADMIN_PORT"))
          .containsExactly("herald: port " + port + " of the admin port (HERALD_ADMIN_PORT) is"
              + " already in use on 127.0.0.1; stop what listens there or set HERALD_ADMIN_PORT"
              + " to another port");
    }
  }

  /** Runs {@code herald <command>}, which must end by itself with 1, and returns its output. */
  private List<String> runUntilExit(String command, Map<String, String> ports) throws Exception {
    Map<String, String> env = new java.util.HashMap<>(ports);
    // Nothing listens here: the ports are tried before the database or Temporal is.
    env.put("HERALD_DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + RealTemporal.freePort() + "/none");
    env.put("HERALD_TEMPORAL_ADDRESS", "127.0.0.1:" + RealTemporal.freePort());
    env.put("HERALD_SECRET_KEY", SecretKeyRing.newKey());
    try (HeraldProcess p = HeraldProcess.start(command + "-port-in-use", directory, env, command)) {
      int exit = p.awaitExit(Duration.ofSeconds(60));
      List<String> output = p.output().lines().toList();
      System.out.printf("PortInUseIT: herald %s exited %d after %d lines%n", command, exit,
          output.size());
      assertThat(exit).as(p.tail()).isEqualTo(1);
      assertThat(output).as(p.tail()).noneMatch(HeraldProcess::isStackTraceLine);
      assertThat(output).as(p.tail()).noneMatch(l -> l.contains("Exception"));
      return output;
    }
  }

  /** A port taken on loopback, as another process would hold it. */
  private static ServerSocket takeLoopbackPort() throws Exception {
    ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return socket;
  }
}
