package dev.herald.activities.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.activities.release.DeliveryLauncher;
import dev.herald.core.event.EventPublisher;
import dev.herald.core.event.PublishResult;
import dev.herald.core.ids.Ids;
import dev.herald.core.metrics.HeraldMetrics;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationDao;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.subscription.SubscriptionDao;
import dev.herald.workflows.health.HealthActivities;
import dev.herald.workflows.health.OwnerNotice;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health workflow's effects on PostgreSQL: disabling a subscription, and telling its owner
 * with a notification and an operational event. Each step is idempotent on its own (the
 * notification on the notice's key, the event on an id derived from it), so an activity retried
 * after a crash between them records each once. Shared by every activity thread; holds no state.
 */
public final class HealthActivitiesImpl implements HealthActivities {

  private static final Logger log = LoggerFactory.getLogger(HealthActivitiesImpl.class);

  private final SubscriptionDao subscriptions;
  private final NotificationDao notifications;
  private final EventPublisher publisher;
  private final DeliveryLauncher launcher;
  private final ObjectMapper json;
  private final Ids ids;
  private final Clock clock;
  private final HeraldMetrics metrics;

  public HealthActivitiesImpl(
      SubscriptionDao subscriptions,
      NotificationDao notifications,
      EventPublisher publisher,
      DeliveryLauncher launcher,
      ObjectMapper json,
      Ids ids,
      Clock clock,
      HeraldMetrics metrics) {
    this.metrics = metrics;
    this.subscriptions = subscriptions;
    this.notifications = notifications;
    this.publisher = publisher;
    this.launcher = launcher;
    this.json = json;
    this.ids = ids;
    this.clock = clock;
  }

  @Override
  public boolean disable(OwnerNotice notice) {
    // Only while the streak the workflow timed still runs: PostgreSQL counts exactly.
    Instant failingBy = Instant.ofEpochMilli(notice.streakStartedAtMillis());
    boolean disabled =
        subscriptions.disable(notice.tenantId(), notice.subscriptionId(), notice.reason(),
            Instant.ofEpochMilli(notice.atMillis()), now(), failingBy);
    if (disabled) {
      log.info("disabled {}: {}", notice.subscriptionId(), notice.reason());
      metrics.subscriptionDisabled();
    }
    return disabled;
  }

  @Override
  public void notifyOwner(OwnerNotice notice) {
    Optional<Subscription> found =
        subscriptions.find(notice.tenantId(), notice.subscriptionId());
    if (found.isEmpty()) {
      // Deleted meanwhile: its owner removed it, there is nobody left to warn about it.
      log.info("not telling the owner of deleted {} about {}", notice.subscriptionId(), notice.type());
      return;
    }
    Subscription subscription = found.get();
    notifications.insertIfAbsent(
        new Notification(ids.next("ntf"), notice.tenantId(), notice.type(),
            notice.subscriptionId(), notice.reason(), now()),
        notice.key());
    PublishResult published =
        publisher.publishExcept(
            notice.tenantId(), OperationalEvents.of(notice, subscription, json), subscription.id());
    if (published.toStart().isEmpty() && published.toGather().isEmpty()) {
      return;
    }
    try {
      launcher.launch(published);
    } catch (RuntimeException e) {
      // The deliveries are committed as pending and the sweeper starts them. Failing here would
      // only have Temporal retry an activity whose other steps are done.
      log.warn("could not start {} deliveries of {}; the sweeper will: {}",
          published.toStart().size(), published.event().id(), e.toString());
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
