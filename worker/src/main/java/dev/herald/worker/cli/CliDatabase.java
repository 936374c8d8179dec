package dev.herald.worker.cli;

import dev.herald.api.HeraldConfiguration;
import dev.herald.api.config.FileOrResourceSourceProvider;
import dev.herald.worker.dev.DevDatabase;
import dev.herald.worker.dev.DevSettings;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.nio.file.Files;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The database a command-line call works on, in this order: the {@code --database-url} option;
 * {@code HERALD_DATABASE_URL}; a running {@code herald dev}'s embedded database (same {@code
 * HERALD_DATA_DIR}); the embedded database in the data directory, started for the call; else the
 * configuration file's. A URL given by option or environment takes its credentials from {@code
 * HERALD_DATABASE_USER} and {@code HERALD_DATABASE_PASSWORD} unless it names a user itself.
 */
final class CliDatabase implements AutoCloseable {

  private final PGSimpleDataSource dataSource = new PGSimpleDataSource();
  private final DevDatabase startedHere;

  private CliDatabase(String url, String user, String password, DevDatabase startedHere) {
    dataSource.setURL(url);
    if (user != null && !user.isBlank() && !url.contains("user=")) {
      dataSource.setUser(user);
    }
    if (password != null && !password.isBlank()) {
      dataSource.setPassword(password);
    }
    this.startedHere = startedHere;
  }

  static CliDatabase open(String databaseUrl, String configPath) throws Exception {
    String url = databaseUrl != null ? databaseUrl : System.getenv("HERALD_DATABASE_URL");
    if (url != null && !url.isBlank()) {
      return new CliDatabase(url, System.getenv("HERALD_DATABASE_USER"),
          System.getenv("HERALD_DATABASE_PASSWORD"), null);
    }
    DevSettings dev = DevSettings.from(System.getenv());
    if (configPath == null && Files.isDirectory(dev.postgresDirectory())) {
      var running = DevDatabase.runningUrl(dev);
      if (running.isPresent()) {
        return new CliDatabase(running.get(), null, null, null);
      }
      DevDatabase started = DevDatabase.open(dev);
      return new CliDatabase(started.url(), null, null, started);
    }
    HeraldConfiguration config = load(configPath == null ? "herald.yml" : configPath);
    return new CliDatabase(config.database.getUrl(), config.database.getUser(),
        config.database.getPassword(), null);
  }

  PGSimpleDataSource dataSource() {
    return dataSource;
  }

  String describe() {
    return startedHere != null ? "embedded database (started for this command)" : dataSource.getURL();
  }

  private static HeraldConfiguration load(String path) throws Exception {
    return new YamlConfigurationFactory<>(
            HeraldConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
        .build(
            new SubstitutingSourceProvider(
                new FileOrResourceSourceProvider(), new EnvironmentVariableSubstitutor(false)),
            path);
  }

  @Override
  public void close() {
    if (startedHere != null) {
      startedHere.close();
    }
  }

}
