package dev.herald.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.ids.Ids;
import dev.herald.core.tenant.IssuedKey;
import dev.herald.core.tenant.Scope;
import dev.herald.core.tenant.TenantDao;
import dev.herald.testing.db.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API key cache, against real PostgreSQL, on a clock the test moves. */
class CachedKeysTest {

  private static TestDatabase db;
  private static TenantDao tenants;
  private final AtomicLong nanos = new AtomicLong();

  @BeforeAll
  static void database() {
    db = TestDatabase.create();
    Clock clock = Clock.systemUTC();
    tenants = new TenantDao(db.jdbi(), new Ids(clock), clock);
  }

  @AfterAll
  static void drop() {
    db.close();
  }

  @Test
  void aRevokedKeyWorksNoLongerThanTheTtl() {
    String tenant = tenants.create("cache-revoke", null).id();
    IssuedKey issued = tenants.issueKey(tenant, Scope.all());
    CachedKeys keys = new CachedKeys(tenants, Duration.ofSeconds(5), nanos::get);

    assertThat(keys.find(issued.key())).isPresent();
    tenants.revokeKey(issued.stored().prefix());

    nanos.addAndGet(Duration.ofMillis(4_999).toNanos());
    assertThat(keys.find(issued.key())).as("still trusted within the TTL").isPresent();
    nanos.addAndGet(Duration.ofMillis(1).toNanos());
    assertThat(keys.find(issued.key())).as("read again after it").isEmpty();
  }

  @Test
  void anUnknownKeyIsNeverKeptAndAZeroTtlReadsEveryTime() {
    CachedKeys keys = new CachedKeys(tenants, Duration.ofSeconds(5), nanos::get);
    assertThat(keys.find("hrk_unknown")).isEmpty();

    String tenant = tenants.create("cache-zero", null).id();
    IssuedKey issued = tenants.issueKey(tenant, Scope.all());
    CachedKeys uncached = new CachedKeys(tenants, Duration.ZERO, nanos::get);
    assertThat(uncached.find(issued.key())).isPresent();
    tenants.revokeKey(issued.stored().prefix());
    assertThat(uncached.find(issued.key())).isEmpty();
  }

  @Test
  void aTenantSwitchedOffIsSeenAfterTheTtl() {
    String tenant = tenants.create("cache-switch", null).id();
    IssuedKey issued = tenants.issueKey(tenant, Scope.all());
    CachedKeys keys = new CachedKeys(tenants, Duration.ofSeconds(5), nanos::get);
    assertThat(keys.find(issued.key()).orElseThrow().tenant().webhooksEnabled()).isTrue();
    db.jdbi().useHandle(h -> h.execute(
        "UPDATE tenants SET webhooks_enabled = false WHERE id = ?", tenant));

    assertThat(keys.find(issued.key()).orElseThrow().tenant().webhooksEnabled()).isTrue();
    nanos.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(keys.find(issued.key()).orElseThrow().tenant().webhooksEnabled()).isFalse();
  }
}
