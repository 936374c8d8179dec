package dev.herald.worker.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DevSettingsTest {

  @Test
  void theUiListensAThousandAboveTheTemporalPortUnlessTold() {
    assertThat(DevSettings.from(Map.of()).temporalUiPort()).isEqualTo(8233);
    assertThat(DevSettings.from(Map.of("HERALD_TEMPORAL_PORT", "17233")).temporalUiPort()).isEqualTo(18233);
    assertThat(DevSettings.from(Map.of("HERALD_TEMPORAL_PORT", "17233", "HERALD_TEMPORAL_UI_PORT", "9999"))
        .temporalUiPort()).isEqualTo(9999);
  }

  @Test
  void theTemporalDatabaseLivesInTheDataDirectory() {
    DevSettings settings = DevSettings.from(Map.of("HERALD_DATA_DIR", "/srv/herald-data"));

    assertThat(settings.temporalDatabase()).isEqualTo(Path.of("/srv/herald-data/temporal/temporal.db"));
    assertThat(settings.temporalAddress()).isNull();
  }

  @Test
  void aTemporalAddressMeansThatServerAndABlankOneMeansNone() {
    assertThat(DevSettings.from(Map.of("HERALD_TEMPORAL_ADDRESS", "temporal.internal:7233")).temporalAddress())
        .isEqualTo("temporal.internal:7233");
    assertThat(DevSettings.from(Map.of("HERALD_TEMPORAL_ADDRESS", "  ")).temporalAddress()).isNull();
  }
}
