package dev.herald.activities.ordering;

import dev.herald.core.delivery.DeliveryDao;
import dev.herald.model.DeliveryStatus;
import dev.herald.workflows.ordering.NextDelivery;
import dev.herald.workflows.ordering.NextRequest;
import dev.herald.workflows.ordering.OrderingActivities;

/** A sequencer's look at PostgreSQL: the key's next delivery, by feed position. */
public final class OrderingActivitiesImpl implements OrderingActivities {

  private final DeliveryDao deliveries;

  public OrderingActivitiesImpl(DeliveryDao deliveries) {
    this.deliveries = deliveries;
  }

  @Override
  public NextDelivery nextOrdered(NextRequest request) {
    return deliveries.nextOrdered(request.subscriptionId(), request.key())
        .map(head -> new NextDelivery(
            head.delivery(), head.status() == DeliveryStatus.HELD, head.position()))
        .orElse(NextDelivery.none());
  }
}
