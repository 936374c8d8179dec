package dev.herald.workflows.health;

import io.temporal.activity.ActivityInterface;

/** What the health workflow does to the world. Both are idempotent. */
@ActivityInterface
public interface HealthActivities {

  /**
   * Disables the subscription ({@code isActive=false}, {@code disableReason}, {@code
   * disabledAt}) unless it is already inactive or deleted; its deliveries wait as held from then
   * on.
   *
   * @return whether this call disabled it
   */
  boolean disable(OwnerNotice notice);

  /**
   * Tells the owner: a notification ({@code GET /v1/notifications}) and an event of the notice's
   * type published to the tenant's other subscriptions that subscribe to it. Recorded once per
   * notice ({@link OwnerNotice#key()}), however often it is called.
   */
  void notifyOwner(OwnerNotice notice);
}
