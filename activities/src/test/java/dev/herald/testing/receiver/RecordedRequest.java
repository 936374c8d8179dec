package dev.herald.testing.receiver;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One request as it arrived at a {@link LoopbackReceiver}: exactly the bytes and header lines that
 * were on the wire (bodies are de-chunked when sent chunked).
 *
 * @param method the request method, e.g. {@code POST}
 * @param path the request target as sent, e.g. {@code /hooks?x=1}
 * @param headerLines every header line in arrival order, names as sent
 * @param body the exact body bytes (empty when there was none)
 * @param arrivedAt when the request had fully arrived
 */
public record RecordedRequest(
    String method,
    String path,
    List<Map.Entry<String, String>> headerLines,
    byte[] body,
    Instant arrivedAt) {

  public RecordedRequest {
    headerLines = List.copyOf(headerLines);
    body = body.clone();
  }

  /** The first value of a header, by case-insensitive name, or null. */
  public String header(String name) {
    List<String> values = headers(name);
    return values.isEmpty() ? null : values.get(0);
  }

  /** Every value of a header, by case-insensitive name, in arrival order. */
  public List<String> headers(String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    return headerLines.stream()
        .filter(line -> line.getKey().toLowerCase(Locale.ROOT).equals(wanted))
        .map(Map.Entry::getValue)
        .toList();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The body decoded as UTF-8. */
  public String bodyUtf8() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RecordedRequest that
        && method.equals(that.method)
        && path.equals(that.path)
        && headerLines.equals(that.headerLines)
        && Arrays.equals(body, that.body)
        && arrivedAt.equals(that.arrivedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, path, headerLines, Arrays.hashCode(body), arrivedAt);
  }

  @Override
  public String toString() {
    return method
        + " "
        + path
        + " ("
        + headerLines.size()
        + " headers, "
        + body.length
        + " body bytes, at "
        + arrivedAt
        + ")";
  }
}
