package dev.herald.worker.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** For an integration test class whose tests share one {@link RealHerald}, started once. */
abstract class WithRealHerald {

  @TempDir static Path directory;
  static RealHerald herald;

  @BeforeAll
  static void startHerald() throws Exception {
    herald = RealHerald.start(directory);
  }

  @AfterAll
  static void stopHerald() {
    if (herald != null) {
      herald.close();
      herald = null;
    }
  }
}
