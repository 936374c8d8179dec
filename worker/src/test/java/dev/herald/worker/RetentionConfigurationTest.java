package dev.herald.worker;

import static dev.herald.worker.SecurityConfigurationTest.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.herald.api.config.RetentionConfig;
import io.dropwizard.configuration.ConfigurationValidationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code worker.retention} block of each bundled configuration, from the environment. */
class RetentionConfigurationTest {

  private static final List<String> FILES = List.of("herald.yml", "herald-worker.yml", "herald-dev.yml");

  @Test
  void finishedDeliveriesAreKeptThirtyDaysAndRemovedAThousandABatchByDefault() throws Exception {
    for (String file : FILES) {
      RetentionConfig retention = load(file, Map.of()).worker.retention;

      assertThat(retention.days).as(file).isEqualTo(30);
      assertThat(retention.batchSize).as(file).isEqualTo(1000);
      assertThat(retention.batchesPerSecond).as(file).isEqualTo(2);
      assertThat(retention.intervalMinutes).as(file).isEqualTo(60);
    }
  }

  @Test
  void theEnvironmentSetsThePeriodAndThePace() throws Exception {
    Map<String, String> env = Map.of("HERALD_RETENTION_DAYS", "7", "HERALD_RETENTION_BATCH_SIZE",
        "250", "HERALD_RETENTION_BATCHES_PER_SECOND", "5", "HERALD_RETENTION_INTERVAL_MINUTES", "15");

    for (String file : FILES) {
      RetentionConfig retention = load(file, env).worker.retention;

      assertThat(retention.days).as(file).isEqualTo(7);
      assertThat(retention.batchSize).as(file).isEqualTo(250);
      assertThat(retention.batchesPerSecond).as(file).isEqualTo(5);
      assertThat(retention.intervalMinutes).as(file).isEqualTo(15);
    }
  }

  @Test
  void aRetentionOfLessThanADayStopsTheStartWithAMessageNamingIt() {
    for (String wrong : List.of("0", "-3")) {
      assertThatExceptionOfType(ConfigurationValidationException.class)
          .as(wrong)
          .isThrownBy(() -> load("herald-worker.yml", Map.of("HERALD_RETENTION_DAYS", wrong)))
          .satisfies(e -> assertThat(e.getMessage()).contains(
              "worker.retention.days must be at least 1 (HERALD_RETENTION_DAYS: days finished"
                  + " deliveries are kept)"));
    }
  }
}
