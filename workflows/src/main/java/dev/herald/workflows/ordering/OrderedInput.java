package dev.herald.workflows.ordering;

/**
 * What a sequencer run starts with. A run that continues as new carries its total forward.
 *
 * @param tenantId the subscription's tenant, for search attributes
 * @param subscriptionId the ordered subscription
 * @param key the value of the subscription's ordering attribute that this sequencer orders
 * @param deliveriesPerRun deliveries one run sends before it continues as new (fewer when
 *     Temporal suggests it sooner)
 * @param historyLimit history events past which a run continues as new even while a delivery
 *     runs (a storm of wakes during a long retry); the next run waits for that delivery
 * @param deliveredSoFar deliveries run by the earlier runs of this sequencer
 */
public record OrderedInput(
    String tenantId,
    String subscriptionId,
    String key,
    int deliveriesPerRun,
    int historyLimit,
    long deliveredSoFar) {

  /** Deliveries per run unless told otherwise: about 15 history events each. */
  public static final int DEFAULT_DELIVERIES_PER_RUN = 100;

  /** History events per run unless told otherwise. */
  public static final int DEFAULT_HISTORY_LIMIT = 5_000;

  public OrderedInput {
    if (subscriptionId == null || key == null) {
      throw new IllegalArgumentException("subscriptionId and key are required");
    }
    if (deliveriesPerRun < 1 || historyLimit < 1) {
      throw new IllegalArgumentException("deliveriesPerRun and historyLimit must be at least 1");
    }
  }

  /** A fresh sequencer of a subscription's key. */
  public static OrderedInput of(String tenantId, String subscriptionId, String key) {
    return new OrderedInput(tenantId, subscriptionId, key, DEFAULT_DELIVERIES_PER_RUN,
        DEFAULT_HISTORY_LIMIT, 0);
  }

  /** The input of the next run, carrying the total. */
  public OrderedInput continued(long delivered) {
    return new OrderedInput(tenantId, subscriptionId, key, deliveriesPerRun, historyLimit,
        delivered);
  }
}
