package dev.herald.core.net;

import java.util.Objects;

/**
 * The result of {@link AddressGuard#checkUrl}: {@link Outcome#OK}, or a refusal whose
 * {@link #code()} is the API error code ({@code invalid_url} or {@code blocked_address}) and whose
 * {@link #message()} says what is wrong in words fit for the API caller.
 *
 * @param outcome what was decided
 * @param message a human-readable explanation; {@code "ok"} when the URL is acceptable
 */
public record UrlVerdict(Outcome outcome, String message) {

  /** What {@link AddressGuard#checkUrl} decided. */
  public enum Outcome {
    /** The URL may be saved. */
    OK("ok"),
    /** Not an acceptable URL at all (API error {@code invalid_url}). */
    INVALID_URL("invalid_url"),
    /** A well-formed URL whose host is or resolves to a refused address ({@code blocked_address}). */
    BLOCKED_ADDRESS("blocked_address");

    private final String code;

    Outcome(String code) {
      this.code = code;
    }

    /** The API error code, or {@code ok}. */
    public String code() {
      return code;
    }
  }

  /** Requires both components. */
  public UrlVerdict {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(message, "message");
  }

  /** An acceptable URL. */
  public static UrlVerdict ok() {
    return new UrlVerdict(Outcome.OK, "ok");
  }

  /** An {@code invalid_url} refusal. */
  public static UrlVerdict invalidUrl(String message) {
    return new UrlVerdict(Outcome.INVALID_URL, message);
  }

  /** A {@code blocked_address} refusal. */
  public static UrlVerdict blockedAddress(String message) {
    return new UrlVerdict(Outcome.BLOCKED_ADDRESS, message);
  }

  /** Whether the URL may be saved. */
  public boolean isOk() {
    return outcome == Outcome.OK;
  }

  /** The API error code: {@code ok}, {@code invalid_url} or {@code blocked_address}. */
  public String code() {
    return outcome.code();
  }
}
