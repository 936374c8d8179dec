package dev.herald.worker.dev;

import dev.herald.worker.temporal.TemporalCli;
import dev.herald.worker.temporal.TemporalCliServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Temporal server {@code herald dev} works on, chosen in this order: the one at {@code
 * HERALD_TEMPORAL_ADDRESS}; else the real server, {@code temporal server start-dev}, when the
 * {@code temporal} command line is found ({@link TemporalCli}), with its database in {@code
 * HERALD_DATA_DIR} and its Web UI; else Temporal's in-memory server, which has no UI, no list
 * queries and forgets everything at exit.
 */
public sealed interface DevTemporal extends AutoCloseable {

  /** The frontend address Herald connects to. */
  String address();

  /** One line for the banner. */
  String describe();

  /** One line for the banner about the Web UI: its address when this server has one. */
  String ui();

  @Override
  void close();

  static DevTemporal start(DevSettings settings, Map<String, String> env) {
    Logger log = LoggerFactory.getLogger(DevTemporal.class);
    if (settings.temporalAddress() != null) {
      return new External(settings.temporalAddress());
    }
    Optional<Path> cli = TemporalCli.locate(env);
    if (cli.isPresent()) {
      TemporalCliServer server =
          TemporalCliServer.start(
              new TemporalCliServer.Options(
                  cli.get(), settings.temporalPort(), settings.temporalUiPort(), settings.temporalDatabase()));
      server.leftoverStopped().ifPresent(pid -> log.warn(
          "herald dev: stopped the Temporal server left running by an earlier herald dev (pid {})",
          pid));
      log.info("Temporal server {} on {}, Web UI {}, database {}",
          cli.get(), server.address(), server.uiAddress(), settings.temporalDatabase());
      return new Real(server);
    }
    log.warn(
        "no temporal command line found (HERALD_TEMPORAL_CLI, PATH, or scripts/install-temporal-cli's"
            + " cache at {}): running Temporal's in-memory server instead, with no Web UI and nothing"
            + " kept across restarts", TemporalCli.installedBy(env));
    return new InMemory(DevTemporalServer.start(settings.temporalPort()));
  }

  /** Temporal's in-memory server on 127.0.0.1:{@code port} (0: any free port). */
  static DevTemporal inMemory(int port) {
    return new InMemory(DevTemporalServer.start(port));
  }

  /** A server somebody else runs. */
  record External(String address) implements DevTemporal {
    @Override
    public String describe() {
      return address + " (HERALD_TEMPORAL_ADDRESS, namespace default)";
    }

    @Override
    public String ui() {
      return "that server's own, if it has one";
    }

    @Override
    public void close() {}
  }

  /** {@code temporal server start-dev}, stopped with {@code herald dev}. */
  record Real(TemporalCliServer server) implements DevTemporal {
    @Override
    public String address() {
      return server.address();
    }

    @Override
    public String describe() {
      return server.address() + " (temporal server start-dev, namespace default; kept in "
          + server.options().databaseFile() + ")";
    }

    @Override
    public String ui() {
      return server.uiAddress();
    }

    @Override
    public void close() {
      server.close();
    }
  }

  /** Temporal's in-memory test server, in real time. */
  record InMemory(DevTemporalServer server) implements DevTemporal {
    @Override
    public String address() {
      return "127.0.0.1:" + server.port();
    }

    @Override
    public String describe() {
      return address() + " (in memory, namespace default; no Web UI: run scripts/install-temporal-cli)";
    }

    @Override
    public String ui() {
      return "none (the in-memory server has no Web UI)";
    }

    @Override
    public void close() {
      server.close();
    }
  }
}
