package dev.herald.workflows.batch;

import dev.herald.workflows.delivery.AttemptResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The side effects of batching. Implementations are shared between threads. */
@ActivityInterface
public interface BatchActivities {

  /**
   * Reads what the subscription has gathered and its limits. A subscription that is deliverable
   * again has its held batches moved back to pending and their workflows told.
   */
  @ActivityMethod
  GatherResult look(GatherRequest request);

  /**
   * Claims the oldest gathered deliveries, within the limits, into a new batch row; the same id
   * again answers the batch made the first time.
   */
  @ActivityMethod
  ClaimResult claim(ClaimRequest request);

  /**
   * Makes one attempt of a batch: one request whose body holds every event of the batch, signed
   * once, recorded on every delivery of the batch. Idempotent per attempt number.
   */
  @ActivityMethod(name = "attemptBatch")
  AttemptResult attempt(BatchAttemptRequest request);
}
