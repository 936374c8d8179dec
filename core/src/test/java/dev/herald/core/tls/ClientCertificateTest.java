package dev.herald.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.subscription.EndpointAuth;
import dev.herald.testing.tls.TestPki;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reading and checking mutual-TLS material: the key forms Herald accepts, the ones it refuses and
 * why, the field each problem is reported against, and what a client is shown.
 */
class ClientCertificateTest {

  private static final TestPki.Authority CA = TestPki.authority("Herald Test CA");

  @Test
  void pkcs8Sec1AndPkcs1KeysAreReadAndMatched() throws Exception {
    TestPki.Credential ec = CA.client("ec-client");
    TestPki.Credential rsa = CA.rsaClient("rsa-client");

    ClientCertificate pkcs8 = ClientCertificate.parse(ec.certificatePem(), ec.keyPem(), null);
    ClientCertificate sec1 = ClientCertificate.parse(ec.certificatePem(), ec.traditionalKeyPem(), null);
    ClientCertificate pkcs1 = ClientCertificate.parse(rsa.certificatePem(), rsa.traditionalKeyPem(), CA.pem());

    assertThat(ec.traditionalKeyPem()).startsWith("-----BEGIN EC PRIVATE KEY-----");
    assertThat(rsa.traditionalKeyPem()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(pkcs8.subject()).isEqualTo("CN=ec-client,O=Herald Tests");
    assertThat(sec1.issuer()).isEqualTo("CN=Herald Test CA,O=Herald Tests");
    assertThat(pkcs1.expiresAt()).isEqualTo(rsa.certificate().getNotAfter().toInstant());
    assertThat(pkcs8.fingerprint()).hasSize(64).isEqualTo(sec1.fingerprint());
    pkcs8.checkValidAt(Instant.now());
    assertThat(pkcs1.sslContext().getProtocol()).isEqualTo("TLS");
  }

  @Test
  void aKeyOfAnotherCertificateIsReportedAgainstThePrivateKey() {
    TestPki.Credential mine = CA.client("mine");
    TestPki.Credential other = CA.client("other");

    assertThatThrownBy(() -> ClientCertificate.parse(mine.certificatePem(), other.keyPem(), null))
        .isInstanceOfSatisfying(InvalidClientCertificateException.class,
            e -> assertThat(e.field()).isEqualTo("privateKey"))
        .hasMessage("does not match the certificate's public key");
    TestPki.Credential rsa = CA.rsaClient("rsa");
    assertThatThrownBy(() -> ClientCertificate.parse(mine.certificatePem(), rsa.keyPem(), null))
        .hasMessage("does not match the certificate's public key");
  }

  @Test
  void anExpiredOrNotYetValidLeafIsRefusedByTheClockCheckOnly() throws Exception {
    Instant now = Instant.now();
    Instant ended = now.minus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    TestPki.Credential expired = CA.client("old", now.minus(Duration.ofDays(30)), ended);
    TestPki.Credential future = CA.client("new", now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));

    ClientCertificate read = ClientCertificate.parse(expired.certificatePem(), expired.keyPem(), null);
    assertThatThrownBy(() -> read.checkValidAt(now))
        .isInstanceOfSatisfying(InvalidClientCertificateException.class,
            e -> assertThat(e.field()).isEqualTo("certificate"))
        .hasMessage("expired on " + ended);
    assertThatThrownBy(() -> ClientCertificate.parse(future.certificatePem(), future.keyPem(), null)
            .checkValidAt(now))
        .hasMessageStartingWith("is not valid before ");
  }

  @Test
  void garbageEncryptedKeysAndMisplacedBlocksAreNamed() {
    TestPki.Credential c = CA.client("c");
    assertThat(problem("not a certificate", c.keyPem(), null)).isEqualTo(
        "certificate: is not a PEM certificate (-----BEGIN CERTIFICATE-----)");
    assertThat(problem("-----BEGIN CERTIFICATE-----\nbm90IGRlcg==\n-----END CERTIFICATE-----\n", c.keyPem(), null))
        .startsWith("certificate: ");
    assertThat(problem(c.keyPem(), c.keyPem(), null)).isEqualTo(
        "certificate: must hold only PEM certificates (-----BEGIN CERTIFICATE-----), not a private key");
    assertThat(problem(c.certificatePem(), c.certificatePem(), null)).startsWith(
        "privateKey: must be a PEM private key");
    String encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
        + "MIGbMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAhFZWlP0W4ZDAICCAAwDAYIKoZIhvcNAgkFADAdBglg\n"
        + "hkgBZQMEASoEEBJ8JCnHhX8UoS4V2bD3BGQEQPz8Pq8AGh4OhQGQ7z7AV2XcZmGq1jF9O1yM0d3Y8mA0n8Xz\n"
        + "-----END ENCRYPTED PRIVATE KEY-----\n";
    assertThat(problem(c.certificatePem(), encrypted, null)).matches(
        "privateKey: (is encrypted; give the key unencrypted \\(Herald seals it at rest\\)|is not a readable PEM private key)");
    assertThat(problem(c.certificatePem(), c.keyPem(), "junk")).isEqualTo(
        "caCertificates: is not a PEM certificate (-----BEGIN CERTIFICATE-----)");
  }

  @Test
  void theCredentialShowsItsCertificateNeverItsKey() {
    TestPki.Credential c = CA.client("shown");
    EndpointAuth.MutualTls mtls = new EndpointAuth.MutualTls(c.certificatePem(), c.keyPem(), CA.pem());

    Map<String, String> shown = mtls.shown();

    assertThat(shown).containsEntry("type", "mtls")
        .containsEntry("subject", "CN=shown,O=Herald Tests")
        .containsEntry("issuer", "CN=Herald Test CA,O=Herald Tests")
        .containsEntry("expiresAt", c.certificate().getNotAfter().toInstant().toString())
        .containsKey("fingerprintSha256");
    assertThat(mtls.secretParts()).containsOnlyKeys("privateKey");
    assertThat(mtls.plainParts()).containsOnlyKeys("certificate", "caCertificates");
    String keyBody = c.keyPem().split("\n")[1];
    assertThat(shown.toString() + mtls + mtls.plainParts()).doesNotContain(keyBody);
    assertThat(EndpointAuth.of("mtls", Map.of("certificate", c.certificatePem(), "privateKey", c.keyPem())))
        .isEqualTo(new EndpointAuth.MutualTls(c.certificatePem(), c.keyPem(), null));
  }

  private static String problem(String certificate, String key, String ca) {
    try {
      ClientCertificate.parse(certificate, key, ca);
      return "accepted";
    } catch (InvalidClientCertificateException e) {
      return e.field() + ": " + e.getMessage();
    }
  }
}
