package dev.herald.core.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.crypto.SecretCipher;
import dev.herald.core.crypto.SecretKeyRing;
import dev.herald.core.ids.Ids;
import dev.herald.core.tenant.TenantDao;
import dev.herald.testing.db.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Endpoint secrets are sealed in PostgreSQL, open through the DAO, and re-seal under a new key. */
class SubscriptionSecretsTest {

  private final ObjectMapper json = new ObjectMapper();
  private final Clock clock = Clock.systemUTC();
  private TestDatabase db;
  private String tenantId;

  @BeforeEach
  void database() {
    db = TestDatabase.create();
    tenantId = new TenantDao(db.jdbi(), new Ids(clock), clock).create("t", null).id();
  }

  @AfterEach
  void drop() {
    db.close();
  }

  @Test
  void theDatabaseHoldsSealedSecretsAndTheDaoOpensThem() {
    SubscriptionDao dao = dao(SecretKeyRing.parse(SecretKeyRing.newKey(), null));
    Subscription s = insert(dao, "whsec_firstfirstfirstfirstfirstfi");
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    dao.modify(tenantId, s.id(), c -> c.withRotatedSecret("whsec_secondsecondsecondsecondsec", now.plusSeconds(60), now));

    Map<String, Object> raw = rawRow(s.id());
    assertThat(raw.get("secret").toString()).startsWith("hsec:v1:").doesNotContain("secondsecond");
    assertThat(raw.get("previous_secret").toString()).startsWith("hsec:v1:").doesNotContain("firstfirst");
    Subscription read = dao.find(tenantId, s.id()).orElseThrow();
    assertThat(read.secret()).isEqualTo("whsec_secondsecondsecondsecondsec");
    assertThat(read.previousSecret()).isEqualTo("whsec_firstfirstfirstfirstfirstfi");
  }

  @Test
  void rotatingTheKeySealsEverySecretAgainIncludingOnesStoredInClear() {
    String oldKey = SecretKeyRing.newKey();
    String newKey = SecretKeyRing.newKey();
    SubscriptionDao before = dao(SecretKeyRing.parse(oldKey, null));
    Subscription a = insert(before, "whsec_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    Subscription b = insert(before, "whsec_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    Subscription legacy = insert(before, "whsec_cccccccccccccccccccccccccccccccc");
    db.jdbi().useHandle(h -> h.execute("UPDATE subscriptions SET secret = ? WHERE id = ?",
        "whsec_cccccccccccccccccccccccccccccccc", legacy.id()));

    SubscriptionDao during = dao(SecretKeyRing.parse(newKey, oldKey));
    assertThat(during.resealSecrets(2)).isEqualTo(3);
    assertThat(during.resealSecrets(2)).as("nothing left to do").isZero();

    SubscriptionDao after = dao(SecretKeyRing.parse(newKey, null));
    assertThat(after.find(tenantId, a.id()).orElseThrow().secret()).isEqualTo(a.secret());
    assertThat(after.find(tenantId, b.id()).orElseThrow().secret()).isEqualTo(b.secret());
    assertThat(after.find(tenantId, legacy.id()).orElseThrow().secret()).isEqualTo(legacy.secret());
    String newId = SecretKeyRing.parse(newKey, null).currentId();
    for (Subscription s : List.of(a, b, legacy)) {
      assertThat(rawRow(s.id()).get("secret").toString()).startsWith("hsec:v1:" + newId + ":");
    }
  }

  private Subscription insert(SubscriptionDao dao, String secret) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Subscription s =
        Subscription.create(new Ids(clock).next("sub"), tenantId,
            new Subscription.Settings("s", "https://hooks.example.com/h", List.of("*"), Map.of(),
                Map.of(), List.of(5), 5, 20, 86400, WireFormat.DEFAULT, EndpointAuth.NONE),
            secret, now);
    dao.insert(s);
    return s;
  }

  private SubscriptionDao dao(SecretKeyRing keys) {
    return new SubscriptionDao(db.jdbi(), json, new SecretCipher(keys));
  }

  private Map<String, Object> rawRow(String id) {
    return db.jdbi().withHandle(h ->
        h.createQuery("SELECT secret, previous_secret FROM subscriptions WHERE id = :id")
            .bind("id", id).mapToMap().one());
  }
}
