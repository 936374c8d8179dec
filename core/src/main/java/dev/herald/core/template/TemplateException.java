package dev.herald.core.template;

/**
 * A template that could not make a body for one event: it failed, ran past a limit, or made
 * something that is not JSON. The attempt is recorded with error {@code template} and this
 * message; nothing is sent.
 */
public final class TemplateException extends RuntimeException {

  public TemplateException(String message) {
    super(message);
  }

  public TemplateException(String message, Throwable cause) {
    super(message, cause);
  }
}
