package dev.herald.worker;

import dev.herald.api.HeraldApplication;
import dev.herald.core.net.DnsCachePolicy;
import dev.herald.worker.cli.DbCommand;
import dev.herald.worker.cli.SecretsCommand;
import dev.herald.worker.cli.TenantCommand;
import dev.herald.worker.dev.DevMode;
import dev.herald.worker.dev.DevSettings;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code herald} command line. */
@Command(
    name = "herald",
    mixinStandardHelpOptions = true,
    version = "herald 0.1.0",
    description = "Durable webhook delivery on Temporal.",
    subcommands = {
      Herald.Dev.class,
      Herald.Server.class,
      Herald.WorkerCommand.class,
      DbCommand.class,
      TenantCommand.class,
      SecretsCommand.class
    })
public final class Herald implements Runnable {

  static {
    // Before anything can look a name up: the JVM reads its DNS cache settings only once.
    DnsCachePolicy.apply();
  }

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Herald()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "dev", description = "Everything in one JVM: embedded PostgreSQL, in-memory Temporal, worker and API.")
  static final class Dev implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      DevMode.run(DevSettings.from(System.getenv()));
      return serveUntilStopped();
    }
  }

  /** A long-running process: the Dropwizard application with one bundled or given configuration. */
  abstract static class Serving implements Callable<Integer> {
    abstract String config();

    @Override
    public Integer call() throws Exception {
      application().run("server", config());
      return serveUntilStopped();
    }
  }

  @Command(name = "server", description = "The REST API (and the worker too when HERALD_RUN_WORKER=true).")
  static final class Server extends Serving {
    @Option(names = "--config", description = "configuration file (default: the bundled herald.yml)")
    String config = "herald.yml";

    @Override
    String config() {
      return config;
    }
  }

  @Command(name = "worker", description = "The Temporal worker for herald-deliveries, and the sweeper.")
  static final class WorkerCommand extends Serving {
    @Option(names = "--config", description = "configuration file (default: the bundled herald-worker.yml)")
    String config = "herald-worker.yml";

    @Override
    String config() {
      return config;
    }
  }

  /**
   * Dropwizard returns once the server has started; the process then lives until it is stopped
   * (SIGINT or SIGTERM run the shutdown hooks, which stop Jetty, the worker and dev's servers).
   */
  static int serveUntilStopped() throws InterruptedException {
    new CountDownLatch(1).await();
    return 0;
  }

  static HeraldApplication application() {
    return new HeraldApplication(List.of(new WorkerExtension()), Clock.systemUTC());
  }
}
