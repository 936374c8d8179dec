package dev.herald.core.tls;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads PEM text with Bouncy Castle: X.509 certificates, and one private key in PKCS#8 ({@code
 * PRIVATE KEY}), PKCS#1 RSA ({@code RSA PRIVATE KEY}) or SEC1 EC ({@code EC PRIVATE KEY}) form.
 * Encrypted keys are refused: Herald seals the key at rest itself and has no passphrase to open
 * it with. Problems are reported against the API field the text came from.
 */
final class Pem {

  private Pem() {}

  /** Every certificate in {@code text}, in order; at least one. */
  static List<X509Certificate> certificates(String field, String text)
      throws InvalidClientCertificateException {
    List<X509Certificate> certificates = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    for (Object object : objects(field, text, "certificate")) {
      if (!(object instanceof X509CertificateHolder holder)) {
        throw new InvalidClientCertificateException(
            field, "must hold only PEM certificates (-----BEGIN CERTIFICATE-----), not a " + kind(object));
      }
      try {
        certificates.add(converter.getCertificate(holder));
      } catch (CertificateException e) {
        throw new InvalidClientCertificateException(field, "holds an unreadable certificate");
      }
    }
    if (certificates.isEmpty()) {
      throw new InvalidClientCertificateException(
          field, "is not a PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return certificates;
  }

  /** The one private key in {@code text}. */
  static PrivateKey privateKey(String field, String text) throws InvalidClientCertificateException {
    PrivateKey key = null;
    for (Object object : objects(field, text, "private key")) {
      if (object instanceof ASN1ObjectIdentifier) {
        continue; // the EC PARAMETERS block that openssl ecparam writes before the key
      }
      if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
        throw new InvalidClientCertificateException(
            field, "is encrypted; give the key unencrypted (Herald seals it at rest)");
      }
      if (key != null) {
        throw new InvalidClientCertificateException(field, "must hold one private key, not more");
      }
      if (object instanceof PEMKeyPair pair) {
        key = privateKey(field, pair.getPrivateKeyInfo());
      } else if (object instanceof PrivateKeyInfo info) {
        key = privateKey(field, info);
      } else {
        throw new InvalidClientCertificateException(
            field, "must be a PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC), not a " + kind(object));
      }
    }
    if (key == null) {
      throw new InvalidClientCertificateException(
          field, "is not a PEM private key (-----BEGIN PRIVATE KEY-----)");
    }
    return key;
  }

  /** The key in PKCS#8 form, by the JDK's own providers (Bouncy Castle only reads the PEM). */
  private static PrivateKey privateKey(String field, PrivateKeyInfo info)
      throws InvalidClientCertificateException {
    String algorithm =
        switch (info.getPrivateKeyAlgorithm().getAlgorithm().getId()) {
          case "1.2.840.113549.1.1.1" -> "RSA";
          case "1.2.840.10045.2.1" -> "EC";
          case "1.3.101.112" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null) {
      throw new InvalidClientCertificateException(field, "must be an RSA, EC or Ed25519 key");
    }
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    } catch (IOException | GeneralSecurityException e) {
      throw new InvalidClientCertificateException(field, "holds an unreadable " + algorithm + " key");
    }
  }

  private static List<Object> objects(String field, String text, String what)
      throws InvalidClientCertificateException {
    List<Object> objects = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        objects.add(o);
      }
    } catch (IOException | RuntimeException e) {
      // The parser's message may quote what it could not read: never repeat it.
      throw new InvalidClientCertificateException(field, "is not a readable PEM " + what);
    }
    return objects;
  }

  private static String kind(Object object) {
    if (object instanceof X509CertificateHolder) {
      return "certificate";
    }
    if (object instanceof PEMKeyPair || object instanceof PrivateKeyInfo) {
      return "private key";
    }
    return object.getClass().getSimpleName();
  }
}
