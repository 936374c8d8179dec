package dev.herald.worker.cli;

import dev.herald.core.crypto.SecretCipher;
import dev.herald.core.crypto.SecretKeyRing;
import dev.herald.core.db.Database;
import dev.herald.core.subscription.SubscriptionDao;
import dev.herald.core.tenant.OneOffSecretDao;
import dev.herald.worker.dev.DevSettings;
import io.dropwizard.jackson.Jackson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code herald secrets …}: the key that encrypts endpoint secrets at rest. */
@Command(
    name = "secrets",
    description = "The key that encrypts endpoint secrets at rest.",
    mixinStandardHelpOptions = true,
    subcommands = {SecretsCommand.NewKey.class, SecretsCommand.RotateKey.class})
public final class SecretsCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "new-key", description = "Print a new key (32 random bytes, base64) for HERALD_SECRET_KEY.")
  static final class NewKey implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getOut().println(SecretKeyRing.newKey());
      return 0;
    }
  }

  @Command(
      name = "rotate-key",
      description = {
        "Seal every endpoint secret again with HERALD_SECRET_KEY, opening the old ones with"
            + " HERALD_PREVIOUS_SECRET_KEYS (comma-separated). Secrets stored in clear are sealed too.",
        "To rotate: run Herald with the new key in HERALD_SECRET_KEY and the old one in"
            + " HERALD_PREVIOUS_SECRET_KEYS, run this with the same two, then drop the old key."
      })
  static final class RotateKey implements Callable<Integer> {
    @Mixin DatabaseOptions database;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      SecretKeyRing keys;
      try {
        keys = keys(System.getenv());
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("herald secrets rotate-key: " + e.getMessage());
        return 1;
      }
      int resealed;
      int tenants;
      try (CliDatabase db = database.open()) {
        Database.migrate(db.dataSource());
        var jdbi = Database.jdbi(db.dataSource());
        SecretCipher cipher = new SecretCipher(keys);
        resealed = new SubscriptionDao(jdbi, Jackson.newObjectMapper(), cipher).resealSecrets(500);
        tenants = new OneOffSecretDao(jdbi, cipher).resealSecrets();
      } catch (IllegalStateException e) {
        spec.commandLine().getErr().println("herald secrets rotate-key: " + e.getMessage());
        return 1;
      }
      spec.commandLine().getOut().println(
          "sealed " + resealed + " subscriptions' secrets and " + tenants
              + " tenants' one-off secrets with key " + keys.currentId()
              + "; every secret now opens with it alone");
      return 0;
    }

    /** From the environment, else herald dev's key file (which has no previous keys). */
    static SecretKeyRing keys(Map<String, String> env) throws IOException {
      String current = env.get("HERALD_SECRET_KEY");
      if (current == null || current.isBlank()) {
        Path devKey = DevSettings.from(env).secretKeyFile();
        if (Files.exists(devKey)) {
          current = Files.readString(devKey, StandardCharsets.US_ASCII).trim();
        }
      }
      return SecretKeyRing.parse(current, env.get("HERALD_PREVIOUS_SECRET_KEYS"));
    }
  }
}
