package dev.herald.api.views;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.herald.core.delivery.Attempt;
import dev.herald.core.delivery.Delivery;
import java.time.Instant;
import java.util.List;

/** A delivery as the API shows it; {@code attempts} only where asked for a single delivery. */
public record DeliveryView(
    String id,
    String eventId,
    String subscriptionId,
    String eventType,
    String status,
    int attemptCount,
    Instant nextAttemptAt,
    Instant createdAt,
    Instant completedAt,
    String workflowId,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<AttemptView> attempts) {

  public static DeliveryView of(Delivery d, List<Attempt> attempts) {
    return new DeliveryView(d.id(), d.eventId(), d.subscriptionId(), d.eventType(),
        d.status().wireName(), d.attemptCount(), d.nextAttemptAt(), d.createdAt(), d.completedAt(),
        d.workflowId(), attempts == null ? null : attempts.stream().map(AttemptView::of).toList());
  }
}
