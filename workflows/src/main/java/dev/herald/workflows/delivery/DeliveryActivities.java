package dev.herald.workflows.delivery;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The side effects of a delivery. Implementations are shared between threads. */
@ActivityInterface
public interface DeliveryActivities {

  /**
   * Makes one attempt: loads the delivery, its subscription and payload; checks the subscription
   * (active, not paused, not deleted); signs and POSTs under the subscription's timeout; records
   * the attempt and the delivery's new status; classifies the outcome. Idempotent per attempt
   * number: an attempt already recorded is returned as recorded, not sent again.
   */
  @ActivityMethod
  AttemptResult attempt(AttemptRequest request);

  /** Records the delivery as cancelled, unless it already finished. */
  @ActivityMethod
  void cancel(CancelRequest request);
}
