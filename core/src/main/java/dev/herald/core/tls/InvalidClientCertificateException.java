package dev.herald.core.tls;

/**
 * Why mutual-TLS material was refused, and which of its fields is at fault: {@code certificate},
 * {@code privateKey} or {@code caCertificates}. The message never quotes the key.
 */
public final class InvalidClientCertificateException extends Exception {

  private final String field;

  public InvalidClientCertificateException(String field, String message) {
    super(message);
    this.field = field;
  }

  /** The field at fault, as the API names it. */
  public String field() {
    return field;
  }
}
