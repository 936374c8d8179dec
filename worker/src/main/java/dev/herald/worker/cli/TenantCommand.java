package dev.herald.worker.cli;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code herald tenant …}: tenants and their API keys. Each subcommand works on the database
 * {@link DatabaseOptions} names and brings its schema up to date first. Failures print one line
 * on stderr and exit 1; usage errors exit 2.
 */
@Command(
    name = "tenant",
    description = "Tenants and API keys.",
    subcommands = {
      TenantCreateCommand.class,
      TenantListCommand.class,
      TenantKeyCommand.class,
      TenantKeysCommand.class,
      TenantUpdateCommand.class,
      TenantRevokeKeyCommand.class
    })
public final class TenantCommand implements Runnable {

  @Spec CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      scope = ScopeType.INHERIT,
      description = "Show this help message and exit.")
  boolean help;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Prints why a command failed and answers picocli's exit code for a failure. */
  static int fail(CommandSpec spec, String message) {
    spec.commandLine().getErr().println("herald tenant " + spec.name() + ": " + message);
    return ExitCode.SOFTWARE;
  }

  static int noSuchTenant(CommandSpec spec, String tenantId) {
    return fail(spec, "no tenant has the id '" + tenantId + "' (herald tenant list shows them)");
  }

  /** Instants as listings show them: UTC, to the second. */
  static String formatInstant(Instant instant) {
    return instant == null ? "-" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
