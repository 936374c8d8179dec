package dev.herald.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.ids.Ids;
import dev.herald.core.tenant.ApiKey;
import dev.herald.core.tenant.ApiKeys;
import dev.herald.core.tenant.Scope;
import dev.herald.core.tenant.Tenant;
import dev.herald.core.tenant.TenantDao;
import dev.herald.testing.db.TestDatabase;
import dev.herald.testing.db.TestDatabaseExtension;
import dev.herald.worker.cli.HeraldCli.Run;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code herald tenant …} run in this JVM against real PostgreSQL: outputs and exit codes. */
class TenantCommandTest {

  private static final String ALL_SCOPES = "webhooks:read,webhooks:write,events:publish";

  @RegisterExtension static final TestDatabaseExtension db = new TestDatabaseExtension();
  private static TenantDao tenants;

  @BeforeAll
  static void database() {
    Clock clock = Clock.systemUTC();
    tenants = new TenantDao(db.jdbi(), new Ids(clock), clock);
  }

  @Test
  void createPrintsTheTenantAndAKeyWithEveryScopeShownOnce() {
    Run run = tenant("create", "acme");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    String tenantId = run.value("tenant");
    String key = run.value("key");
    assertThat(tenantId).startsWith("ten_");
    assertThat(key).startsWith("hrk_").hasSizeGreaterThan(40);
    assertThat(run.value("prefix")).isEqualTo(key.substring(0, 12));
    assertThat(run.value("scopes")).isEqualTo(ALL_SCOPES);
    assertThat(run.err()).contains("shown this once", "only its hash", "revoke-key " + key.substring(0, 12));
    assertThat(run.err()).doesNotContain(key);

    Tenant stored = tenants.find(tenantId).orElseThrow();
    assertThat(stored.name()).isEqualTo("acme");
    assertThat(stored.webhooksEnabled()).isTrue();
    assertThat(stored.maxSubscriptions()).isNull();
    ApiKey apiKey = tenants.findKey(key).orElseThrow();
    assertThat(apiKey.tenantId()).isEqualTo(tenantId);
    assertThat(apiKey.scopes()).isEqualTo(Scope.all());
    String hash =
        db.jdbi().withHandle(h -> h.createQuery("SELECT key_hash FROM api_keys WHERE id = :id")
            .bind("id", apiKey.id()).mapTo(String.class).one());
    assertThat(hash).isEqualTo(ApiKeys.hash(key)).isNotEqualTo(key);
  }

  @Test
  void createStoresTheSubscriptionLimitAndRefusesANegativeOne() {
    Run run = tenant("create", "limited", "--max-subscriptions", "3");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(tenants.find(run.value("tenant")).orElseThrow().maxSubscriptions()).isEqualTo(3);

    Run negative = tenant("create", "negative", "--max-subscriptions", "-1");
    assertThat(negative.exitCode()).as(negative.toString()).isEqualTo(2);
    assertThat(negative.err()).contains("--max-subscriptions", "negative");
    assertThat(negative.out()).isEmpty();
    assertThat(tenants.findByName("negative")).isEmpty();
  }

  @Test
  void listShowsEachTenantsSettingsAndLiveKeyCount() {
    String id = created("listed", "--max-subscriptions", "7");
    tenant("key", id, "--scopes", "webhooks:read");
    String revoked = tenant("key", id, "--scopes", "events:publish").value("prefix");
    tenant("revoke-key", revoked);
    tenant("update", id, "--webhooks-enabled", "false");

    Run run = tenant("list");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out().lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("ID", "NAME", "WEBHOOKS_ENABLED", "MAX_SUBSCRIPTIONS", "LIVE_KEYS");
    assertThat(run.row(id)).containsExactly(id, "listed", "false", "7", "2");
  }

  @Test
  void listOnADatabaseWithoutTenantsSaysSoOnStderr() {
    try (TestDatabase empty = TestDatabase.create()) {
      Run run = HeraldCli.tenant(empty.jdbcUrl(), "list");
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out()).isEmpty();
      assertThat(run.err()).contains("No tenants yet");
    }
  }

  @Test
  void keyIssuesAKeyWithExactlyTheScopesGiven() {
    String id = created("scoped");

    Run run = tenant("key", id, "--scopes", "events:publish, webhooks:read");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.value("tenant")).isEqualTo(id);
    assertThat(run.value("scopes")).isEqualTo("webhooks:read,events:publish");
    String key = run.value("key");
    assertThat(run.value("prefix")).isEqualTo(key.substring(0, 12));
    assertThat(run.err()).contains("shown this once", "only its hash");
    ApiKey stored = tenants.findKey(key).orElseThrow();
    assertThat(stored.tenantId()).isEqualTo(id);
    assertThat(stored.scopes()).containsExactlyInAnyOrder(Scope.WEBHOOKS_READ, Scope.EVENTS_PUBLISH);
  }

  @Test
  void keysListsEachKeysPrefixScopesAndRevocation() {
    Run created = tenant("create", "keyed");
    String id = created.value("tenant");
    String first = created.value("prefix");
    String second = tenant("key", id, "--scopes", "webhooks:write").value("prefix");
    tenant("revoke-key", first);

    Run run = tenant("keys", id);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out().lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("PREFIX", "SCOPES", "CREATED", "REVOKED");
    List<String> revoked = run.row(first);
    assertThat(revoked.get(1)).isEqualTo(ALL_SCOPES);
    assertThat(revoked.get(2)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(revoked.get(3)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    List<String> live = run.row(second);
    assertThat(live.get(1)).isEqualTo("webhooks:write");
    assertThat(live.get(3)).isEqualTo("-");
    assertThat(run.out().lines()).hasSize(3);
  }

  @Test
  void updateChangesOnlyWhatItIsGiven() {
    String id = created("updated", "--max-subscriptions", "10");

    Run off = tenant("update", id, "--webhooks-enabled", "false");
    assertThat(off.exitCode()).as(off.toString()).isZero();
    assertThat(off.value("webhooks enabled")).isEqualTo("false");
    assertThat(off.value("max subscriptions")).isEqualTo("10");
    assertThat(tenants.find(id).orElseThrow().webhooksEnabled()).isFalse();

    Run limit = tenant("update", id, "--max-subscriptions", "0");
    assertThat(limit.exitCode()).as(limit.toString()).isZero();
    assertThat(tenants.find(id).orElseThrow().maxSubscriptions()).isZero();
    assertThat(tenants.find(id).orElseThrow().webhooksEnabled()).isFalse();

    Run both = tenant("update", id, "--webhooks-enabled", "true", "--max-subscriptions", "unlimited");
    assertThat(both.exitCode()).as(both.toString()).isZero();
    assertThat(both.value("tenant")).isEqualTo(id);
    assertThat(both.value("name")).isEqualTo("updated");
    assertThat(both.value("max subscriptions")).isEqualTo("unlimited");
    Tenant stored = tenants.find(id).orElseThrow();
    assertThat(stored.webhooksEnabled()).isTrue();
    assertThat(stored.maxSubscriptions()).isNull();
  }

  @Test
  void revokeKeyRevokesOnceAndRefusesASecondTime() {
    Run created = tenant("create", "revoking");
    String key = created.value("key");
    String prefix = created.value("prefix");

    Run run = tenant("revoke-key", prefix);
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("revoked " + prefix, created.value("tenant"));
    assertThat(tenants.findKey(key)).isEmpty();

    Run again = tenant("revoke-key", prefix);
    assertThat(again.exitCode()).as(again.toString()).isEqualTo(1);
    assertThat(again.out()).isEmpty();
    assertThat(again.err()).contains(prefix, "already revoked");
  }

  @Test
  void anUnknownTenantIsAFailureForEveryCommandThatNamesOne() {
    for (String[] args :
        List.of(
            new String[] {"key", "ten_missing", "--scopes", "webhooks:read"},
            new String[] {"keys", "ten_missing"},
            new String[] {"update", "ten_missing", "--webhooks-enabled", "false"})) {
      Run run = tenant(args);
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(run.out()).isEmpty();
      assertThat(run.err()).contains("no tenant", "ten_missing");
    }
  }

  @Test
  void anUnknownScopeIsAUsageErrorThatListsTheValidOnes() {
    String id = created("typo");
    Run run = tenant("key", id, "--scopes", "webhooks:read,events:write");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("unknown scope 'events:write'", "webhooks:read, webhooks:write, events:publish");
    assertThat(tenants.listKeys(id)).hasSize(1);
  }

  @Test
  void aKeyWithoutScopesIsAUsageError() {
    String id = created("scopeless");
    for (String[] args :
        List.of(
            new String[] {"key", id},
            new String[] {"key", id, "--scopes", ""},
            new String[] {"key", id, "--scopes", " , "})) {
      Run run = tenant(args);
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
      assertThat(run.out()).isEmpty();
      assertThat(run.err()).contains("--scopes");
    }
    assertThat(tenant("key", id, "--scopes", "").err()).contains("at least one scope");
    assertThat(tenants.listKeys(id)).hasSize(1);
  }

  @Test
  void updateWithoutAnyOptionOrWithABadValueIsAUsageError() {
    String id = created("untouched");
    Run none = tenant("update", id);
    assertThat(none.exitCode()).as(none.toString()).isEqualTo(2);
    assertThat(none.err()).contains("nothing to change", "--webhooks-enabled", "--max-subscriptions");

    Run notABoolean = tenant("update", id, "--webhooks-enabled", "maybe");
    assertThat(notABoolean.exitCode()).as(notABoolean.toString()).isEqualTo(2);
    assertThat(notABoolean.err()).contains("maybe");

    Run notALimit = tenant("update", id, "--max-subscriptions", "lots");
    assertThat(notALimit.exitCode()).as(notALimit.toString()).isEqualTo(2);
    assertThat(notALimit.err()).contains("'lots'", "unlimited");

    assertThat(tenants.find(id).orElseThrow().webhooksEnabled()).isTrue();
  }

  @Test
  void revokingAnUnknownPrefixIsAFailure() {
    Run run = tenant("revoke-key", "hrk_unknown0");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("no key has the prefix 'hrk_unknown0'", "herald tenant keys");
  }

  @Test
  void helpDocumentsTheDatabaseOption() {
    for (String sub : List.of("create", "list", "key", "keys", "update", "revoke-key")) {
      Run run = HeraldCli.run("tenant", sub, "--help");
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out()).contains("--database-url", "--config", "Usage: herald tenant " + sub);
    }
    assertThat(HeraldCli.run("tenant").out())
        .contains("create", "list", "key", "keys", "update", "revoke-key");
  }

  private static Run tenant(String... args) {
    return HeraldCli.tenant(db.jdbcUrl(), args);
  }

  private static String created(String name, String... options) {
    String[] args = new String[options.length + 2];
    args[0] = "create";
    args[1] = name;
    System.arraycopy(options, 0, args, 2, options.length);
    Run run = tenant(args);
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return run.value("tenant");
  }
}
