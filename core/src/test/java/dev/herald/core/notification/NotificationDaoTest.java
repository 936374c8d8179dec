package dev.herald.core.notification;

import dev.herald.core.crypto.SecretCipher;
import dev.herald.core.crypto.SecretKeyRing;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.db.Position;
import dev.herald.core.ids.Ids;
import dev.herald.core.signing.WebhookSigner;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.subscription.EndpointAuth;
import dev.herald.core.subscription.WireFormat;
import dev.herald.core.subscription.SubscriptionDao;
import dev.herald.core.tenant.TenantDao;
import dev.herald.testing.db.TestDatabaseExtension;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class NotificationDaoTest {

  private static final Instant T0 = Instant.parse("2026-11-22T09:14:00Z");

  @RegisterExtension static final TestDatabaseExtension db = new TestDatabaseExtension();
  private final ObjectMapper json = new ObjectMapper();
  private final Clock clock = Clock.systemUTC();
  private final Ids ids = new Ids(clock);
  private NotificationDao notifications;
  private SubscriptionDao subscriptions;
  private String tenantId;

  @BeforeEach
  void setUp() {
    notifications = new NotificationDao(db.jdbi());
    subscriptions = new SubscriptionDao(db.jdbi(), json, new SecretCipher(SecretKeyRing.generate()));
    tenantId = new TenantDao(db.jdbi(), ids, clock).create("acme", null).id();
  }

  @Test
  void aKeyIsRecordedOnceHoweverOftenItIsInserted() {
    String sub = subscription(tenantId);
    Notification first = notification(tenantId, sub, Notification.DISABLED, T0);
    Notification retry = notification(tenantId, sub, Notification.DISABLED, T0.plusSeconds(5));

    assertThat(notifications.insertIfAbsent(first, "subscription.disabled:" + sub + ":1")).isTrue();
    assertThat(notifications.insertIfAbsent(retry, "subscription.disabled:" + sub + ":1")).isFalse();
    assertThat(notifications.insertIfAbsent(retry, "subscription.disabled:" + sub + ":2")).isTrue();

    assertThat(notifications.list(tenantId, NotificationFilter.all(), null, 10))
        .extracting(Notification::id)
        .containsExactly(retry.id(), first.id());
  }

  @Test
  void aListIsNewestFirstAndItsPagesNeitherRepeatNorSkip() {
    String sub = subscription(tenantId);
    List<Notification> inserted = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      // Two at each instant, so that the id breaks ties.
      inserted.add(insert(tenantId, sub, Notification.FAILING, T0.plusSeconds(i / 2), "k" + i));
    }
    List<String> expected =
        inserted.stream()
            .sorted(Comparator.comparing(Notification::createdAt)
                .thenComparing(Notification::id)
                .reversed())
            .map(Notification::id)
            .toList();
    assertThat(notifications.list(tenantId, NotificationFilter.all(), null, 100))
        .extracting(Notification::id)
        .containsExactlyElementsOf(expected);

    List<String> paged = new ArrayList<>();
    Position after = null;
    while (true) {
      List<Notification> page = notifications.list(tenantId, NotificationFilter.all(), after, 3);
      page.forEach(n -> paged.add(n.id()));
      if (page.size() < 3) {
        break;
      }
      Notification last = page.get(page.size() - 1);
      after = new Position(last.createdAt(), last.id());
    }
    assertThat(paged).containsExactlyElementsOf(expected);
  }

  @Test
  void filtersBySubscriptionAndType() {
    String one = subscription(tenantId);
    String two = subscription(tenantId);
    Notification oneFailing = insert(tenantId, one, Notification.FAILING, T0);
    Notification oneDisabled = insert(tenantId, one, Notification.DISABLED, T0.plusSeconds(1));
    Notification twoFailing = insert(tenantId, two, Notification.FAILING, T0.plusSeconds(2));

    assertThat(notifications.list(tenantId, new NotificationFilter(one, null), null, 10))
        .extracting(Notification::id)
        .containsExactly(oneDisabled.id(), oneFailing.id());
    assertThat(notifications.list(tenantId, new NotificationFilter(null, Notification.FAILING), null, 10))
        .extracting(Notification::id)
        .containsExactly(twoFailing.id(), oneFailing.id());
    assertThat(notifications.list(tenantId, new NotificationFilter(two, Notification.DISABLED), null, 10))
        .isEmpty();
  }

  @Test
  void anotherTenantsNotificationsAreNotListed() {
    String otherTenant = new TenantDao(db.jdbi(), ids, clock).create("other", null).id();
    insert(otherTenant, subscription(otherTenant), Notification.DISABLED, T0);
    Notification mine = insert(tenantId, subscription(tenantId), Notification.DISABLED, T0);

    assertThat(notifications.list(tenantId, NotificationFilter.all(), null, 10))
        .containsExactly(mine);
  }

  private Notification insert(String tenant, String sub, String type, Instant at) {
    return insert(tenant, sub, type, at, type + ":" + sub + ":" + at.toEpochMilli());
  }

  private Notification insert(String tenant, String sub, String type, Instant at, String key) {
    Notification n = notification(tenant, sub, type, at);
    assertThat(notifications.insertIfAbsent(n, key + ":" + sub)).isTrue();
    return n;
  }

  private Notification notification(String tenant, String sub, String type, Instant at) {
    return new Notification(ids.next("ntf"), tenant, type, sub, "20 consecutive failed attempts", at);
  }

  private String subscription(String tenant) {
    Instant now = clock.instant();
    Subscription s =
        new Subscription(ids.next("sub"), tenant, "listener", "https://hooks.example.com/h",
            List.of("*"), Map.of(), Map.of(), List.of(5), 5, 20, 86400, WireFormat.DEFAULT, EndpointAuth.NONE, WebhookSigner.newSecret(),
            null, null, true, false, null, null, 0, null, null, now, now);
    subscriptions.insert(s);
    return s.id();
  }
}
