package dev.herald.core.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.signing.WebhookSigner;
import dev.herald.testing.db.Store;
import dev.herald.testing.db.TestDatabase;
import dev.herald.testing.tls.TestPki;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The certificates whose owners are yet to be told: only live subscriptions with a client
 * certificate expiring before the moment asked, each certificate until it is marked, and a
 * replaced certificate anew.
 */
class CertificateExpiryDaoTest {

  private static final TestPki.Authority CA = TestPki.authority("Expiry CA");
  private static final Instant NOW = Instant.now();

  private TestDatabase db;
  private Store store;
  private CertificateExpiryDao expiry;

  @BeforeEach
  void setUp() {
    db = TestDatabase.create();
    store = new Store(db);
    expiry = new CertificateExpiryDao(db.jdbi());
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  @Test
  void onlyLiveSubscriptionsExpiringBeforeTheMomentAreFoundUntilMarked() {
    TestPki.Credential soonCert = expiringIn(10);
    Subscription soon = subscription(soonCert);
    Subscription later = subscription(expiringIn(60));
    Subscription deleted = subscription(expiringIn(5));
    store.subscriptions.delete(store.tenantId, deleted.id(), NOW);
    store.subscription(false); // no client certificate at all
    Instant in14Days = NOW.plus(Duration.ofDays(14));

    List<CertificateExpiryDao.Expiring> found = expiry.findUnnoticed(in14Days, 10);

    assertThat(found).extracting(CertificateExpiryDao.Expiring::subscriptionId).containsExactly(soon.id());
    CertificateExpiryDao.Expiring e = found.get(0);
    assertThat(e.tenantId()).isEqualTo(store.tenantId);
    assertThat(e.expiresAt()).isEqualTo(soonCert.certificate().getNotAfter().toInstant());
    assertThat(e.fingerprint()).isEqualTo(((EndpointAuth.MutualTls) soon.auth()).read().fingerprint());
    assertThat(expiry.findUnnoticed(NOW.plus(Duration.ofDays(61)), 10))
        .extracting(CertificateExpiryDao.Expiring::subscriptionId).containsExactly(soon.id(), later.id());

    assertThat(expiry.markNoticed(soon.id(), e.fingerprint())).isTrue();
    assertThat(expiry.findUnnoticed(in14Days, 10)).isEmpty();
  }

  @Test
  void aReplacedCertificateIsFoundAgainAndAStaleMarkIsRefused() {
    Subscription s = subscription(expiringIn(10));
    String first = expiry.findUnnoticed(NOW.plus(Duration.ofDays(14)), 10).get(0).fingerprint();
    assertThat(expiry.markNoticed(s.id(), first)).isTrue();

    TestPki.Credential renewed = expiringIn(12);
    store.subscriptions.modify(store.tenantId, s.id(), current -> current.withSettings(
        settings(current, new EndpointAuth.MutualTls(renewed.certificatePem(), renewed.keyPem(), null)), NOW));

    List<CertificateExpiryDao.Expiring> found = expiry.findUnnoticed(NOW.plus(Duration.ofDays(14)), 10);
    assertThat(found).hasSize(1);
    assertThat(found.get(0).fingerprint()).isNotEqualTo(first);
    assertThat(expiry.markNoticed(s.id(), first)).as("the old certificate's mark").isFalse();
    assertThat(expiry.findUnnoticed(NOW.plus(Duration.ofDays(14)), 10)).hasSize(1);

    store.subscriptions.modify(store.tenantId, s.id(), current -> current.withSettings(
        settings(current, EndpointAuth.NONE), NOW));
    assertThat(expiry.findUnnoticed(NOW.plus(Duration.ofDays(365)), 10)).isEmpty();
  }

  private static TestPki.Credential expiringIn(int days) {
    return CA.client("in-" + days, NOW.minus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(days)));
  }

  private Subscription subscription(TestPki.Credential credential) {
    Subscription s = Subscription.create(store.ids.next("sub"), store.tenantId,
        new Subscription.Settings("mtls", "https://127.0.0.1/h", List.of("order.*"), Map.of(), Map.of(),
            List.of(5), 5, 20, 86400, WireFormat.DEFAULT,
            new EndpointAuth.MutualTls(credential.certificatePem(), credential.keyPem(), CA.pem())),
        WebhookSigner.newSecret(), NOW);
    store.subscriptions.insert(s);
    return s;
  }

  private static Subscription.Settings settings(Subscription s, EndpointAuth auth) {
    return new Subscription.Settings(s.name(), s.url(), s.eventTypes(), s.filter(), s.headers(),
        s.retrySchedule(), s.timeoutSeconds(), s.disableAfterFailures(), s.disableAfterSeconds(), s.wire(), auth);
  }
}
