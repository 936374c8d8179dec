package dev.herald.workflows.ordering;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** What a sequencer asks of PostgreSQL. Implementations are shared between threads. */
@ActivityInterface
public interface OrderingActivities {

  /**
   * The key's unfinished delivery (pending, retrying or held) with the lowest feed position, or
   * {@link NextDelivery#none()}. Read-only, so safe to repeat.
   */
  @ActivityMethod
  NextDelivery nextOrdered(NextRequest request);
}
