package dev.herald.worker.cli;

import dev.herald.core.tenant.IssuedKey;
import picocli.CommandLine;

/** Shows a new key: in clear on stdout this once, with the prefix that names it from now on. */
final class IssuedKeyPrinter {

  private IssuedKeyPrinter() {}

  static void print(CommandLine command, IssuedKey issued) {
    command.getOut().println("key     " + issued.key());
    command.getOut().println("prefix  " + issued.stored().prefix());
    command.getOut().println("scopes  " + ScopeList.format(issued.stored().scopes()));
    command.getErr().println(
        "The key is shown this once; Herald keeps only its hash. Revoke it with: herald tenant"
            + " revoke-key " + issued.stored().prefix());
  }
}
