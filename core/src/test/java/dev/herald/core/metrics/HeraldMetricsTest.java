package dev.herald.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.model.Outcome;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Herald's meters: their labels stay bounded whatever tenants and publishers send. */
class HeraldMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void eventTypesPastTheLimitAreCountedAsOther() {
    HeraldMetrics metrics = new HeraldMetrics(registry, 3);
    for (String type : new String[] {"a.one", "a.two", "a.three", "a.four", "a.five", "a.one"}) {
      metrics.published("ten_1", type, 1);
    }

    assertThat(registry.find("herald.events.published").counters())
        .extracting(c -> c.getId().getTag("type"))
        .containsExactlyInAnyOrder("a.one", "a.two", "a.three", BoundedLabel.OTHER);
    assertThat(registry.get("herald.events.published").tag("type", BoundedLabel.OTHER).counter()
            .count())
        .isEqualTo(2);
    assertThat(registry.get("herald.events.published").tag("type", "a.one").counter().count())
        .isEqualTo(2);
    assertThat(registry.get("herald.deliveries").counter().count()).isEqualTo(6);
  }

  @Test
  void tenantsPastTheLimitAreCountedAsOther() {
    HeraldMetrics metrics = new HeraldMetrics(registry, 2);
    for (int i = 0; i < 10; i++) {
      metrics.published("ten_" + i, "order.paid", 0);
    }
    assertThat(registry.find("herald.events.published").counters()).hasSize(3);
    assertThat(registry.get("herald.events.published").tag("tenant", BoundedLabel.OTHER).counter()
            .count())
        .isEqualTo(8);
  }

  @Test
  void anAttemptIsLabelledByOutcomeAndErrorCodeOrStatusClass() {
    HeraldMetrics metrics = new HeraldMetrics(registry, 10);
    metrics.attempted(Outcome.SUCCEEDED, null, 204, Duration.ofMillis(12));
    metrics.attempted(Outcome.FAILED, null, 503, Duration.ofMillis(40));
    metrics.attempted(Outcome.FAILED, null, 404, Duration.ofMillis(40));
    metrics.attempted(Outcome.FAILED, "timeout", null, Duration.ofSeconds(10));
    metrics.attempted(Outcome.FAILED, "template", null, Duration.ZERO);

    assertThat(registry.find("herald.attempts").counters())
        .extracting(c -> c.getId().getTag("outcome") + "/" + c.getId().getTag("error"))
        .containsExactlyInAnyOrder("succeeded/none", "failed/http_5xx", "failed/http_4xx",
            "failed/timeout", "failed/template");
    assertThat(registry.get("herald.attempt.duration").tag("outcome", "failed").timer().count())
        .isEqualTo(4);
    for (Meter m : registry.getMeters()) {
      assertThat(m.getId().getTags()).noneMatch(t -> t.getValue().startsWith("dlv_"));
    }
  }

  @Test
  void aMomentBeforePublishingIsCountedAsNoTime() {
    HeraldMetrics metrics = new HeraldMetrics(registry, 10);
    metrics.firstAttempt(Duration.ofMillis(-3));
    metrics.succeeded(Duration.ofSeconds(2));
    assertThat(registry.get("herald.publish.to.first.attempt").timer().max(
            java.util.concurrent.TimeUnit.MILLISECONDS))
        .isZero();
    assertThat(registry.get("herald.publish.to.success").timer().count()).isEqualTo(1);
    assertThat(registry.find("herald.attempts").counter()).isNull();
  }

  @Test
  void countersADashboardShowsExistAtZeroFromTheStart() {
    new HeraldMetrics(registry, 10);
    assertThat(registry.get("herald.subscriptions.disabled").counter().count()).isZero();
    assertThat(registry.get("herald.sweeper.restarts").counter().count()).isZero();
    assertThat(registry.get("herald.deliveries.reopened").counters()).hasSize(2);
    assertThat(registry.get("herald.api.auth.failures").counters())
        .hasSize(HeraldMetrics.REFUSALS.size());
  }

  @Test
  void anUnknownReasonIsAMistakeNotANewSeries() {
    HeraldMetrics metrics = new HeraldMetrics(registry, 10);
    assertThatThrownBy(() -> metrics.authRefused("teapot"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> metrics.reopened("magic", 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
