package dev.herald.core.subscription;

import dev.herald.core.signing.SignatureScheme;
import dev.herald.core.template.TemplateInput;
import java.util.Objects;

/**
 * What a delivery sends, fixed when its first attempt is built: the method, signature scheme and
 * header names of the subscription's wire format at that moment, and the body bytes. Every
 * attempt of the delivery sends these, so a template (or a format changed between attempts) can
 * never make two attempts of one delivery differ.
 *
 * @param bodyFormat the format the body was made with, as the API names it
 */
public record BuiltRequest(
    String method,
    SignatureScheme signature,
    HeraldHeaderNames headerNames,
    String bodyFormat,
    byte[] body) {

  public BuiltRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(headerNames, "headerNames");
    Objects.requireNonNull(bodyFormat, "bodyFormat");
    Objects.requireNonNull(body, "body");
  }

  /**
   * Builds the request of a subscription's wire format for one event.
   *
   * @throws dev.herald.core.template.TemplateException when its template fails for this event
   */
  public static BuiltRequest build(WireFormat wire, TemplateInput input) {
    return new BuiltRequest(
        wire.method(), wire.signature(), wire.headerNames(), wire.body().apiName(),
        wire.body().render(input));
  }

  /** Whether the body is the event's stored envelope, which need not be kept a second time. */
  public boolean bodyIsTheEnvelope() {
    return bodyFormat.equals(BodyFormat.STANDARD.apiName());
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BuiltRequest r
        && method.equals(r.method)
        && signature.equals(r.signature)
        && headerNames.equals(r.headerNames)
        && bodyFormat.equals(r.bodyFormat)
        && java.util.Arrays.equals(body, r.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, signature, headerNames, bodyFormat, java.util.Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return "BuiltRequest[" + method + ", " + signature + ", " + bodyFormat + ", " + body.length + " bytes]";
  }
}
