package dev.herald.core.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;

/**
 * A client certificate for mutual TLS, read and checked: its chain (leaf first), the private key
 * that matches the leaf, and the CA certificates to trust the endpoint's certificate by, or none
 * for the JVM's default trust. Builds the {@link SSLContext} that presents it. Immutable.
 */
public final class ClientCertificate {

  private final List<X509Certificate> chain;
  private final PrivateKey key;
  private final List<X509Certificate> trusted;

  private ClientCertificate(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> trusted) {
    this.chain = List.copyOf(chain);
    this.key = key;
    this.trusted = trusted == null ? null : List.copyOf(trusted);
  }

  /**
   * Reads the PEM texts and checks that the key belongs to the leaf. Dates are not checked here
   * (see {@link #checkValidAt}): a stored credential stays readable after it expires.
   *
   * @param caCertificates the CA bundle, or null for the JVM's default trust
   */
  public static ClientCertificate parse(String certificate, String privateKey, String caCertificates)
      throws InvalidClientCertificateException {
    List<X509Certificate> chain = Pem.certificates("certificate", certificate);
    PrivateKey key = Pem.privateKey("privateKey", privateKey);
    List<X509Certificate> trusted =
        caCertificates == null ? null : Pem.certificates("caCertificates", caCertificates);
    if (!matches(key, chain.get(0).getPublicKey())) {
      throw new InvalidClientCertificateException(
          "privateKey", "does not match the certificate's public key");
    }
    return new ClientCertificate(chain, key, trusted);
  }

  /** Refuses a leaf that has expired or is not valid yet at {@code now}. */
  public void checkValidAt(Instant now) throws InvalidClientCertificateException {
    if (now.isAfter(expiresAt())) {
      throw new InvalidClientCertificateException("certificate", "expired on " + expiresAt());
    }
    if (now.isBefore(leaf().getNotBefore().toInstant())) {
      throw new InvalidClientCertificateException(
          "certificate", "is not valid before " + leaf().getNotBefore().toInstant());
    }
  }

  /** The leaf's subject, e.g. {@code CN=herald,O=Acme} (RFC 2253). */
  public String subject() {
    return leaf().getSubjectX500Principal().getName(X500Principal.RFC2253);
  }

  /** The leaf's issuer (RFC 2253). */
  public String issuer() {
    return leaf().getIssuerX500Principal().getName(X500Principal.RFC2253);
  }

  /** The end of the leaf's validity ({@code notAfter}). */
  public Instant expiresAt() {
    return leaf().getNotAfter().toInstant();
  }

  /** The SHA-256 of the leaf's DER encoding, in lower-case hex. */
  public String fingerprint() {
    try {
      return sha256(leaf().getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("unencodable certificate", e);
    }
  }

  /**
   * A TLS context that presents this certificate when the server asks for one, and trusts the
   * server by the CA bundle, or by the JVM's default trust when there is none.
   */
  public SSLContext sslContext() throws GeneralSecurityException {
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (trusted == null) {
      trust.init((KeyStore) null);
    } else {
      KeyStore store = KeyStore.getInstance("PKCS12");
      try {
        store.load(null, null);
      } catch (java.io.IOException e) {
        throw new GeneralSecurityException(e);
      }
      for (int i = 0; i < trusted.size(); i++) {
        store.setCertificateEntry("ca-" + i, trusted.get(i));
      }
      trust.init(store);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        new KeyManager[] {new SingleKeyManager(key, chain.toArray(X509Certificate[]::new))},
        trust.getTrustManagers(),
        null);
    return context;
  }

  /** SHA-256 in lower-case hex. */
  public static String sha256(String text) {
    try {
      return sha256(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private X509Certificate leaf() {
    return chain.get(0);
  }

  /** Whether the key signs what the public key verifies: works for RSA, EC and EdDSA alike. */
  private static boolean matches(PrivateKey key, PublicKey publicKey)
      throws InvalidClientCertificateException {
    String algorithm = signatureAlgorithm(publicKey.getAlgorithm());
    if (algorithm == null) {
      throw new InvalidClientCertificateException(
          "certificate", "has a " + publicKey.getAlgorithm() + " key; RSA, EC or Ed25519 are supported");
    }
    if (!publicKey.getAlgorithm().equals(key.getAlgorithm())) {
      return false;
    }
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signed = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signed);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static String signatureAlgorithm(String keyAlgorithm) {
    return switch (keyAlgorithm) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
  }

  @Override
  public String toString() {
    return "ClientCertificate[" + subject() + ", expires " + expiresAt() + ", key hidden]";
  }
}
