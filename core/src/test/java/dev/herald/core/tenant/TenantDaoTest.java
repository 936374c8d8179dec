package dev.herald.core.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.ids.Ids;
import dev.herald.testing.db.TestDatabaseExtension;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TenantDaoTest {

  @RegisterExtension static final TestDatabaseExtension db = new TestDatabaseExtension();
  private static TenantDao tenants;

  @BeforeAll
  static void database() {
    Clock clock = Clock.systemUTC();
    tenants = new TenantDao(db.jdbi(), new Ids(clock), clock);
  }

  @Test
  void anUpdateChangesOnlyTheSettingsItNames() {
    Tenant tenant = tenants.create("partial", 5);

    Tenant off = tenants.update(tenant.id(), new TenantUpdate(false, null)).orElseThrow();
    assertThat(off.webhooksEnabled()).isFalse();
    assertThat(off.maxSubscriptions()).isEqualTo(5);

    Tenant limited = tenants.update(tenant.id(), new TenantUpdate(null, new SubscriptionLimit(0))).orElseThrow();
    assertThat(limited.webhooksEnabled()).isFalse();
    assertThat(limited.maxSubscriptions()).isZero();

    Tenant both = tenants.update(tenant.id(), new TenantUpdate(true, SubscriptionLimit.UNLIMITED)).orElseThrow();
    assertThat(both.webhooksEnabled()).isTrue();
    assertThat(both.maxSubscriptions()).isNull();
    assertThat(tenants.find(tenant.id())).contains(both);
  }

  @Test
  void updatingAnUnknownTenantFindsNothingAndAnEmptyUpdateIsRefused() {
    assertThat(tenants.update("ten_nope", new TenantUpdate(false, null))).isEmpty();
    Tenant tenant = tenants.create("unchanged", null);
    assertThatThrownBy(() -> tenants.update(tenant.id(), new TenantUpdate(null, null)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theListCountsOnlyLiveKeys() {
    Tenant tenant = tenants.create("counted", null);
    tenants.issueKey(tenant.id(), Scope.all());
    IssuedKey revoked = tenants.issueKey(tenant.id(), Set.of(Scope.WEBHOOKS_READ));
    tenants.revokeKey(revoked.stored().prefix());

    TenantSummary summary =
        tenants.list().stream().filter(s -> s.tenant().id().equals(tenant.id())).findFirst().orElseThrow();
    assertThat(summary.liveKeys()).isEqualTo(1);
    assertThat(summary.tenant().name()).isEqualTo("counted");
  }

  @Test
  void aRevokedKeyNoLongerAuthenticatesAndCannotBeRevokedAgain() {
    Tenant tenant = tenants.create("revoking", null);
    IssuedKey issued = tenants.issueKey(tenant.id(), Set.of(Scope.EVENTS_PUBLISH));
    assertThat(tenants.findKey(issued.key())).isPresent();

    StoredKey revoked = tenants.revokeKey(issued.stored().prefix()).orElseThrow();
    assertThat(revoked.isRevoked()).isTrue();
    assertThat(revoked.key().id()).isEqualTo(issued.stored().id());
    assertThat(tenants.findKey(issued.key())).isEmpty();

    assertThat(tenants.revokeKey(issued.stored().prefix())).isEmpty();
    assertThat(tenants.findKeyByPrefix(issued.stored().prefix()).orElseThrow().revokedAt())
        .isEqualTo(revoked.revokedAt());
    assertThat(tenants.revokeKey("hrk_nothing")).isEmpty();
    assertThat(tenants.findKeyByPrefix("hrk_nothing")).isEmpty();
  }

  @Test
  void aTenantsKeysAreListedOldestFirstWithScopesInOrder() {
    Tenant tenant = tenants.create("listed", null);
    IssuedKey first = tenants.issueKey(tenant.id(), Set.of(Scope.EVENTS_PUBLISH, Scope.WEBHOOKS_READ));
    IssuedKey second = tenants.issueKey(tenant.id(), Scope.all());
    tenants.issueKey(tenants.create("other", null).id(), Scope.all());

    assertThat(tenants.listKeys(tenant.id()))
        .extracting(k -> k.key().prefix())
        .containsExactly(first.stored().prefix(), second.stored().prefix());
    assertThat(tenants.listKeys(tenant.id()).get(0).key().scopes())
        .containsExactly(Scope.WEBHOOKS_READ, Scope.EVENTS_PUBLISH);
    assertThat(tenants.listKeys("ten_nope")).isEmpty();
  }

  @Test
  void aKeyNeedsAScopeAndALimitCannotBeNegative() {
    Tenant tenant = tenants.create("strict", null);
    assertThatThrownBy(() -> tenants.issueKey(tenant.id(), EnumSet.noneOf(Scope.class)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tenants.create("negative", -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSubscriptionLimitIsANonNegativeIntegerOrUnlimited() {
    assertThat(SubscriptionLimit.parse("0").max()).isZero();
    assertThat(SubscriptionLimit.parse("25").max()).isEqualTo(25);
    assertThat(SubscriptionLimit.parse("unlimited").isUnlimited()).isTrue();
    assertThatThrownBy(() -> SubscriptionLimit.parse("-1")).hasMessageContaining("negative");
    assertThatThrownBy(() -> SubscriptionLimit.parse("lots")).hasMessageContaining("'lots'");
  }
}
