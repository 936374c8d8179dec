package dev.herald.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.ids.Ids;
import dev.herald.core.tenant.IssuedKey;
import dev.herald.core.tenant.KeyOwner;
import dev.herald.core.tenant.Scope;
import dev.herald.core.tenant.TenantDao;
import dev.herald.testing.db.TestDatabaseExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The API key cache, against real PostgreSQL, on a clock the test moves. */
class CachedKeysTest {

  @RegisterExtension static final TestDatabaseExtension db = new TestDatabaseExtension();
  private static TenantDao tenants;
  private final AtomicLong nanos = new AtomicLong();

  @BeforeAll
  static void database() {
    Clock clock = Clock.systemUTC();
    tenants = new TenantDao(db.jdbi(), new Ids(clock), clock);
  }

  @Test
  void aRevokedKeyWorksNoLongerThanTheTtl() {
    String tenant = tenants.create("cache-revoke", null).id();
    IssuedKey issued = tenants.issueKey(tenant, Scope.all());
    CachedKeys keys = new CachedKeys(tenants::findLiveKey, Duration.ofSeconds(5), nanos::get);

    assertThat(keys.find(issued.key())).isPresent();
    tenants.revokeKey(issued.stored().prefix());

    nanos.addAndGet(Duration.ofMillis(4_999).toNanos());
    assertThat(keys.find(issued.key())).as("still trusted within the TTL").isPresent();
    nanos.addAndGet(Duration.ofMillis(1).toNanos());
    assertThat(keys.find(issued.key())).as("read again after it").isEmpty();
  }

  @Test
  void anUnknownKeyIsNeverKeptAndAZeroTtlReadsEveryTime() {
    CachedKeys keys = new CachedKeys(tenants::findLiveKey, Duration.ofSeconds(5), nanos::get);
    assertThat(keys.find("hrk_unknown")).isEmpty();

    String tenant = tenants.create("cache-zero", null).id();
    IssuedKey issued = tenants.issueKey(tenant, Scope.all());
    CachedKeys uncached = new CachedKeys(tenants::findLiveKey, Duration.ZERO, nanos::get);
    assertThat(uncached.find(issued.key())).isPresent();
    tenants.revokeKey(issued.stored().prefix());
    assertThat(uncached.find(issued.key())).isEmpty();
  }

  @Test
  void aTenantSwitchedOffIsSeenAfterTheTtl() {
    String tenant = tenants.create("cache-switch", null).id();
    IssuedKey issued = tenants.issueKey(tenant, Scope.all());
    CachedKeys keys = new CachedKeys(tenants::findLiveKey, Duration.ofSeconds(5), nanos::get);
    assertThat(keys.find(issued.key()).orElseThrow().tenant().webhooksEnabled()).isTrue();
    db.jdbi().useHandle(h -> h.execute(
        "UPDATE tenants SET webhooks_enabled = false WHERE id = ?", tenant));

    assertThat(keys.find(issued.key()).orElseThrow().tenant().webhooksEnabled()).isTrue();
    nanos.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(keys.find(issued.key()).orElseThrow().tenant().webhooksEnabled()).isFalse();
  }

  @Test
  void anExpiredKeyIsReadOnceWhileTheCallersOtherRequestsGoOn() throws Exception {
    String tenant = tenants.create("cache-once", null).id();
    IssuedKey issued = tenants.issueKey(tenant, Scope.all());
    AtomicInteger reads = new AtomicInteger();
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    CachedKeys keys =
        new CachedKeys(
            clearKey -> {
              if (reads.incrementAndGet() == 2) {
                reading.countDown();
                await(finish);
              }
              return tenants.findLiveKey(clearKey);
            },
            Duration.ofSeconds(5),
            nanos::get);
    assertThat(keys.find(issued.key())).isPresent();
    nanos.addAndGet(Duration.ofSeconds(5).toNanos());

    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Optional<KeyOwner>> rereading = pool.submit(() -> keys.find(issued.key()));
      assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 20; i++) {
        assertThat(keys.find(issued.key())).as("served while the key is read again").isPresent();
      }
      assertThat(reads).as("reads while one is in flight").hasValue(2);
      finish.countDown();
      assertThat(rereading.get(10, TimeUnit.SECONDS)).isPresent();
    } finally {
      finish.countDown();
      pool.shutdownNow();
    }
    assertThat(keys.find(issued.key())).isPresent();
    assertThat(reads).as("reads once the entry is fresh again").hasValue(2);
  }

  @Test
  void aTenantIsReadWithItsKeyInOneQuery() {
    String tenant = tenants.create("cache-join", 7).id();
    IssuedKey issued = tenants.issueKey(tenant, Set.of(Scope.EVENTS_PUBLISH));
    KeyOwner owner = tenants.findLiveKey(issued.key()).orElseThrow();
    assertThat(owner.key().prefix()).isEqualTo(issued.stored().prefix());
    assertThat(owner.key().scopes()).containsExactly(Scope.EVENTS_PUBLISH);
    assertThat(owner.tenant()).isEqualTo(tenants.find(tenant).orElseThrow());
    tenants.revokeKey(issued.stored().prefix());
    assertThat(tenants.findLiveKey(issued.key())).isEmpty();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
