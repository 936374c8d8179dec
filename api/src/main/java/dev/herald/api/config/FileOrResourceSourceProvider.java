package dev.herald.api.config;

import io.dropwizard.configuration.ConfigurationSourceProvider;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a configuration file when one exists at the path, else the resource bundled in the jar. */
public final class FileOrResourceSourceProvider implements ConfigurationSourceProvider {

  @Override
  public InputStream open(String path) throws IOException {
    if (Files.isRegularFile(Path.of(path))) {
      return new FileInputStream(path);
    }
    InputStream resource = getClass().getClassLoader().getResourceAsStream(path);
    if (resource == null) {
      throw new FileNotFoundException("no configuration file or bundled resource named " + path);
    }
    return resource;
  }
}
