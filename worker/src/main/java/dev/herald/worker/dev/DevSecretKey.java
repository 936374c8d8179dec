package dev.herald.worker.dev;

import dev.herald.core.crypto.SecretKeyRing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code herald dev}'s secret key: made on first start and kept in the data directory, readable
 * by its owner only, so that the secrets of subscriptions survive a restart. Production sets
 * {@code HERALD_SECRET_KEY} instead.
 */
final class DevSecretKey {

  private DevSecretKey() {}

  static String readOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }
    Files.createDirectories(file.getParent());
    String key = SecretKeyRing.newKey();
    Path temp = Files.createTempFile(file.getParent(), "secret-key", ".tmp");
    try {
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the directory's own permissions apply.
    }
    Files.writeString(temp, key + "\n", StandardCharsets.US_ASCII);
    Files.move(temp, file);
    return key;
  }
}
