package dev.herald.core.template;

/** A template that does not compile: what is wrong, and where (a 0-based character offset). */
public final class TemplateCompileException extends RuntimeException {

  private final int position;

  public TemplateCompileException(String message, int position) {
    super(message);
    this.position = position;
  }

  /** The 0-based character offset in the template where the problem was found. */
  public int position() {
    return position;
  }
}
