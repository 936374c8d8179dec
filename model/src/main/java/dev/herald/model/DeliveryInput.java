package dev.herald.model;

import java.util.List;

/**
 * What starts (or restarts) a delivery's workflow: ids and small control data, never the payload.
 * The database gives it (a delivery committed, released, recovered or swept) and the workflow
 * receives it as its input.
 *
 * @param deliveryId the delivery row this workflow drives ({@code dlv_…})
 * @param tenantId owner of the subscription, for search attributes
 * @param subscriptionId the subscription delivered to, for search attributes
 * @param eventType the event's type, for search attributes and the summary
 * @param url the endpoint, for the summary only (the attempt reads the current one)
 * @param retrySchedule seconds to wait before each retry; attempts = size + 1
 * @param firstAttempt the number of the first attempt this run makes: 1 for a new delivery, more
 *     when the sweeper restarts a delivery whose workflow was lost
 * @param lastAttempt the last attempt number this run may make, or 0 for the schedule's last
 * @param orderingKey the value of the subscription's ordering attribute on the event when the
 *     delivery is ordered, else {@code null}: an ordered delivery's workflow is started by its
 *     key's sequencer ({@code ordered-…}), never on its own
 */
public record DeliveryInput(
    String deliveryId,
    String tenantId,
    String subscriptionId,
    String eventType,
    String url,
    List<Integer> retrySchedule,
    int firstAttempt,
    int lastAttempt,
    String orderingKey) {

  public DeliveryInput {
    retrySchedule = List.copyOf(retrySchedule);
    if (firstAttempt < 1) {
      throw new IllegalArgumentException("firstAttempt must be at least 1");
    }
    if (lastAttempt < 0) {
      throw new IllegalArgumentException("lastAttempt must not be negative");
    }
  }

  /** An unordered delivery. */
  public DeliveryInput(
      String deliveryId,
      String tenantId,
      String subscriptionId,
      String eventType,
      String url,
      List<Integer> retrySchedule,
      int firstAttempt,
      int lastAttempt) {
    this(deliveryId, tenantId, subscriptionId, eventType, url, retrySchedule, firstAttempt,
        lastAttempt, null);
  }

  /** An unordered delivery that follows its schedule to the end. */
  public DeliveryInput(
      String deliveryId,
      String tenantId,
      String subscriptionId,
      String eventType,
      String url,
      List<Integer> retrySchedule,
      int firstAttempt) {
    this(deliveryId, tenantId, subscriptionId, eventType, url, retrySchedule, firstAttempt, 0);
  }

  /**
   * The last attempt this workflow may make: {@code lastAttempt} when set (a finished delivery
   * retried by hand gets one attempt past its schedule), else the schedule's last.
   */
  public int maxAttempts() {
    return lastAttempt > 0 ? lastAttempt : retrySchedule.size() + 1;
  }

  /** The attempts already recorded when this run starts. */
  public int attemptsMade() {
    return firstAttempt - 1;
  }

  /** Whether the delivery waits its turn in an ordered key ({@link #orderingKey()} is set). */
  public boolean ordered() {
    return orderingKey != null;
  }

  /** The workflow id of a delivery. */
  public static String workflowId(String deliveryId) {
    return "delivery-" + deliveryId;
  }
}
