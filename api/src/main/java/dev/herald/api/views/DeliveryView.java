package dev.herald.api.views;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.herald.core.batch.BatchPlace;
import dev.herald.core.delivery.Attempt;
import dev.herald.core.delivery.Delivery;
import dev.herald.model.DeliveryStatus;
import dev.herald.core.subscription.Subscription;
import java.time.Instant;
import java.util.List;

/**
 * A delivery as the API shows it; {@code attempts} only where asked for a single delivery. A
 * one-off delivery has no {@code subscriptionId}, and shows its {@code url}. {@code waiting} says
 * why an unfinished delivery waits without an attempt (its endpoint's limits, or a {@code
 * Retry-After} it sent), with {@code nextAttemptAt} when it looks again. A delivery sent in a
 * batch names its {@code batchId}, and its {@code workflowId} is the batch's ({@code
 * batcher-<subscriptionId>} while it is gathered).
 */
public record DeliveryView(
    String id,
    String kind,
    String eventId,
    String subscriptionId,
    @JsonInclude(JsonInclude.Include.NON_NULL) String url,
    String eventType,
    String status,
    int attemptCount,
    Instant nextAttemptAt,
    String waiting,
    Instant createdAt,
    Instant completedAt,
    String workflowId,
    @JsonInclude(JsonInclude.Include.NON_NULL) String batchId,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<AttemptView> attempts) {

  public static DeliveryView of(Delivery d, List<Attempt> attempts) {
    return of(d, attempts, null);
  }

  /** A delivery, batched when {@code place} is not null. */
  public static DeliveryView of(Delivery d, List<Attempt> attempts, BatchPlace place) {
    String batchId = place == null ? null : place.batchId();
    boolean oneOff = d.kind() == Subscription.Kind.ONE_OFF;
    return new DeliveryView(d.id(), d.kind().apiName(), d.eventId(),
        oneOff ? null : d.subscriptionId(), oneOff ? d.url() : null, d.eventType(),
        d.status().wireName(), d.attemptCount(), d.nextAttemptAt(),
        d.status().isFinished() || d.status() == DeliveryStatus.HELD ? null : d.waitingReason(),
        d.createdAt(), d.completedAt(),
        place == null || place.workflowId() == null ? d.workflowId() : place.workflowId(), batchId,
        attempts == null ? null : attempts.stream().map(AttemptView::of).toList());
  }
}
