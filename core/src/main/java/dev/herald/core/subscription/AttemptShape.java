package dev.herald.core.subscription;

import dev.herald.core.signing.SignatureHeader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one attempt sends, as the delivery's {@link BuiltRequest} makes it: the method, the headers in
 * order (Herald's own first, the signature as its scheme makes it, the credentials, then the
 * subscription's) and
 * the body bytes. The attempt activity sends it; {@code POST /v1/subscriptions/{id}/preview}
 * shows it.
 */
public record AttemptShape(String method, String url, List<Header> headers, byte[] body) {

  /** The header that carries the subscription's {@link EndpointAuth}. */
  public static final String AUTHORIZATION = "authorization";

  /** One request header. */
  public record Header(String name, String value) {}

  /**
   * @param request the delivery's built request: method, scheme, header names and body
   * @param now the attempt's time: the signature's timestamp
   */
  public static AttemptShape of(
      Subscription subscription,
      BuiltRequest request,
      String eventId,
      String eventType,
      String deliveryId,
      int attemptNumber,
      Instant now) {
    byte[] body = request.body();
    List<Header> headers = new ArrayList<>();
    headers.add(new Header("content-type", "application/json"));
    for (SignatureHeader h :
        request.signature().sign(subscription.signingSecrets(now), eventId, now.getEpochSecond(), body)) {
      headers.add(new Header(h.name(), h.value()));
    }
    HeraldHeaderNames names = request.headerNames();
    addUnlessDropped(headers, names.eventType(), eventType);
    addUnlessDropped(headers, names.deliveryId(), deliveryId);
    addUnlessDropped(headers, names.attempt(), Integer.toString(attemptNumber));
    if (subscription.auth().authorization() != null) {
      headers.add(new Header(subscription.auth().headerName(), subscription.auth().authorization()));
    }
    // Reserved names were refused when the subscription was saved; they cannot replace ours.
    subscription.headers().values().forEach((name, value) -> headers.add(new Header(name, value)));
    return new AttemptShape(request.method(), subscription.url(), List.copyOf(headers), body);
  }

  private static void addUnlessDropped(List<Header> headers, String name, String value) {
    if (name != null) {
      headers.add(new Header(name, value));
    }
  }

  /** The same shape with {@code value} as its {@code Authorization}: a token fetched to send it. */
  public AttemptShape withAuthorization(String value) {
    List<Header> with = new ArrayList<>();
    headers.stream().filter(h -> !h.name().equals(AUTHORIZATION)).forEach(with::add);
    with.add(new Header(AUTHORIZATION, value));
    return new AttemptShape(method, url, List.copyOf(with), body);
  }

  /**
   * The same shape with the value of {@code auth}'s header hidden ({@code Basic <hidden>}), and
   * the values of secret custom headers, as a preview shows it: signatures are shown, credentials
   * never are.
   */
  public AttemptShape withCredentialsHidden(EndpointAuth auth, CustomHeaders custom) {
    List<Header> shown =
        headers.stream()
            .map(h -> !(auth instanceof EndpointAuth.None) && h.name().equals(auth.headerName())
                    || custom.isSecret(h.name())
                ? new Header(h.name(), hidden(h.value()))
                : h)
            .toList();
    return new AttemptShape(method, url, shown, body);
  }

  /** {@code Basic <hidden>}, {@code Bearer <hidden>}; an API key's whole value. */
  private static String hidden(String value) {
    int space = value.indexOf(' ');
    return space > 0 && (value.startsWith("Basic ") || value.startsWith("Bearer "))
        ? value.substring(0, space) + " <hidden>"
        : "<hidden>";
  }

  @Override
  public byte[] body() {
    return body.clone();
  }
}
