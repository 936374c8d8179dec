package dev.herald.worker.e2e;

import static dev.herald.worker.e2e.RealHerald.retryingOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import org.junit.jupiter.api.Test;

/**
 * On the real Temporal server: Herald registers its search attributes when it starts, the
 * operator's guide's list query finds exactly a subscription's retrying deliveries, and a delivery
 * workflow carries its subscription as the fairness key the server shares the queue by.
 */
class RealServerSearchIT extends WithRealHerald {


  @Test
  void heraldRegistersItsSearchAttributesWhenItStarts() {
    String listed = herald.cli("operator", "search-attribute", "list");
    assertThat(listed)
        .containsPattern("HeraldTenantId\\s+Keyword")
        .containsPattern("HeraldSubscriptionId\\s+Keyword")
        .containsPattern("HeraldEventType\\s+Keyword")
        .containsPattern("HeraldDeliveryStatus\\s+Keyword")
        .containsPattern("HeraldAttempts\\s+Int");
  }

  @Test
  void theGuidesListQueryFindsExactlyTheSubscriptionsRetryingDeliveries() throws Exception {
    String key = herald.newTenant("search");
    try (LoopbackReceiver receiver = LoopbackReceiver.start();
        LoopbackReceiver healthy = LoopbackReceiver.start()) {
      receiver.setDefault(ReceiverResponse.status(503));
      healthy.setDefault(ReceiverResponse.status(204));
      String failing = herald.subscribe(key, receiver.url(), "\"retrySchedule\":[600,600]");
      String other = herald.subscribe(key, healthy.url(), "\"retrySchedule\":[600,600]");
      for (int i = 0; i < 3; i++) {
        herald.publish(key);
      }
      herald.awaitCount(retryingOf(failing), 3);
      String listed = herald.cli("workflow", "list", "--query", retryingOf(failing));
      assertThat(listed.lines().filter(l -> l.contains("delivery-dlv_"))).hasSize(3);

      herald.awaitCount("HeraldSubscriptionId = '" + other + "' AND HeraldDeliveryStatus = 'succeeded'", 3);
      assertThat(herald.count(retryingOf(other))).isZero();
    }
  }

  @Test
  void aDeliveryWorkflowCarriesItsSubscriptionAsItsFairnessKey() throws Exception {
    String key = herald.newTenant("fairness");
    try (LoopbackReceiver receiver = LoopbackReceiver.start()) {
      receiver.setDefault(ReceiverResponse.status(204));
      String subscription = herald.subscribe(key, receiver.url(), "\"retrySchedule\":[600]");
      String delivery = herald.publish(key).get(0);
      herald.awaitStatus(key, delivery, "succeeded");

      String described = herald.cli("workflow", "describe", "--workflow-id", "delivery-" + delivery,
          "--output", "json");
      assertThat(described).containsPattern("\"fairnessKey\":\\s*\"" + subscription + "\"");
    }
  }
}
