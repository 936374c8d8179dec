package dev.herald.testing.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made on the spot with Bouncy Castle, for tests of mutual TLS: an authority that
 * issues a server certificate for 127.0.0.1 and client certificates of any name and validity.
 * Keys are EC P-256 (quick to make) unless RSA is asked for.
 */
public final class TestPki {

  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

  private TestPki() {}

  /** A new self-signed certificate authority, valid from a day ago for a year. */
  public static Authority authority(String name) {
    KeyPair keys = ecKeys();
    X500Principal subject = new X500Principal("CN=" + name + ",O=Herald Tests");
    Instant now = Instant.now();
    X509Certificate certificate =
        sign(keys, subject, keys, subject, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)),
            builder -> {
              builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
              builder.addExtension(Extension.keyUsage, true,
                  new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            });
    return new Authority(new Credential(certificate, keys.getPrivate(), null));
  }

  /** A certificate authority and what it issues. */
  public static final class Authority {

    private final Credential self;

    private Authority(Credential self) {
      this.self = self;
    }

    public X509Certificate certificate() {
      return self.certificate();
    }

    /** Its certificate in PEM: a CA bundle of one. */
    public String pem() {
      return self.certificatePem();
    }

    /** A server certificate for the IP address 127.0.0.1 (subject alternative name). */
    public Credential server() {
      Instant now = Instant.now();
      return issue("127.0.0.1", ecKeys(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)),
          KeyPurposeId.id_kp_serverAuth, true);
    }

    /** A client certificate for {@code CN=<name>}, valid from a day ago for a year. */
    public Credential client(String name) {
      Instant now = Instant.now();
      return client(name, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)));
    }

    /** A client certificate for {@code CN=<name>} valid between the two moments. */
    public Credential client(String name, Instant notBefore, Instant notAfter) {
      return issue(name, ecKeys(), notBefore, notAfter, KeyPurposeId.id_kp_clientAuth, false);
    }

    /** The same, with an RSA 2048 key. */
    public Credential rsaClient(String name) {
      Instant now = Instant.now();
      return issue(name, rsaKeys(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)),
          KeyPurposeId.id_kp_clientAuth, false);
    }

    private Credential issue(
        String name, KeyPair keys, Instant notBefore, Instant notAfter, KeyPurposeId purpose,
        boolean ipAddress) {
      X509Certificate certificate =
          sign(keys, new X500Principal("CN=" + name + ",O=Herald Tests"),
              new KeyPair(self.certificate().getPublicKey(), self.key()),
              self.certificate().getSubjectX500Principal(), notBefore, notAfter,
              builder -> {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
                if (ipAddress) {
                  builder.addExtension(Extension.subjectAlternativeName, false,
                      new GeneralNames(new GeneralName(GeneralName.iPAddress, name)));
                }
              });
      return new Credential(certificate, keys.getPrivate(), self.certificate());
    }
  }

  /**
   * A certificate, its private key and the certificate of its issuer (null when self-signed).
   */
  public record Credential(X509Certificate certificate, PrivateKey key, X509Certificate issuer) {

    /** {@code CN=…,O=Herald Tests}, as RFC 2253 writes it. */
    public String subject() {
      return certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
    }

    public String certificatePem() {
      return pem("CERTIFICATE", encoded(certificate));
    }

    /** The key in PKCS#8 ({@code PRIVATE KEY}). */
    public String keyPem() {
      return pem("PRIVATE KEY", key.getEncoded());
    }

    /** The key in OpenSSL's traditional form: PKCS#1 for RSA, SEC1 for EC (with its curve). */
    public String traditionalKeyPem() {
      if (key.getAlgorithm().equals("EC")) {
        try {
          PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
          ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
          return pem("EC PRIVATE KEY", new ECPrivateKey(256, inner.getKey(),
              info.getPrivateKeyAlgorithm().getParameters()).getEncoded());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      StringWriter out = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
        writer.writeObject(key);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toString();
    }

    /**
     * A server's TLS context: this credential as its certificate, and client certificates
     * trusted by {@code clientAuthorities}.
     */
    public SSLContext serverContext(X509Certificate... clientAuthorities) {
      try {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", key, new char[0], new X509Certificate[] {certificate, issuer});
        KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        km.init(keys, new char[0]);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (int i = 0; i < clientAuthorities.length; i++) {
          trusted.setCertificateEntry("ca-" + i, clientAuthorities[i]);
        }
        TrustManagerFactory tm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tm.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(km.getKeyManagers(), tm.getTrustManagers(), null);
        return context;
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** A client's TLS context that trusts {@code authority} and presents no certificate. */
  public static SSLContext trusting(X509Certificate authority) {
    try {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      trusted.setCertificateEntry("ca", authority);
      TrustManagerFactory tm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tm.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tm.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private interface Extensions {
    void add(X509v3CertificateBuilder builder) throws IOException;
  }

  private static X509Certificate sign(
      KeyPair subjectKeys, X500Principal subject, KeyPair issuerKeys, X500Principal issuer,
      Instant notBefore, Instant notAfter, Extensions extensions) {
    try {
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
              Date.from(notBefore), Date.from(notAfter), subject, subjectKeys.getPublic());
      extensions.add(builder);
      String algorithm = issuerKeys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKeys.getPrivate())));
    } catch (IOException | OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair ecKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair rsaKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
