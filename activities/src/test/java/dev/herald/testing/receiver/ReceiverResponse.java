package dev.herald.testing.receiver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How a {@link LoopbackReceiver} answers one request: a plain response ({@link #status(int)} with
 * {@link #withHeader} and {@link #withBody}), or one of the ways a bad endpoint misbehaves: {@link
 * #hang()}, {@link #dripBody()}, {@link #dripStatusLine()}, {@link #reset()}, {@link
 * #hugeBody(long)}. Immutable; {@code with…} return a copy. Every answer is on a fresh connection
 * that the receiver closes afterwards.
 */
public final class ReceiverResponse {

  private enum Kind {
    STATUS,
    HANG,
    DRIP_BODY,
    DRIP_STATUS_LINE,
    RESET,
    HUGE_BODY
  }

  private static final Duration ONE_SECOND = Duration.ofSeconds(1);

  private final Kind kind;
  private final int status;
  private final List<Map.Entry<String, String>> headers;
  private final byte[] body;
  private final long size;
  private final Duration interval;

  private ReceiverResponse(
      Kind kind,
      int status,
      List<Map.Entry<String, String>> headers,
      byte[] body,
      long size,
      Duration interval) {
    this.kind = kind;
    this.status = status;
    this.headers = List.copyOf(headers);
    this.body = body;
    this.size = size;
    this.interval = interval;
  }

  /** Answers with this status, {@code Content-Length} and {@code Connection: close}. */
  public static ReceiverResponse status(int status) {
    return new ReceiverResponse(Kind.STATUS, status, List.of(), new byte[0], 0, null);
  }

  /** A redirect, e.g. {@code redirect(302, other.url())}. */
  public static ReceiverResponse redirect(int status, String location) {
    return status(status).withHeader("Location", location);
  }

  /** Reads the request, then never answers; the connection ends when the client gives up. */
  public static ReceiverResponse hang() {
    return new ReceiverResponse(Kind.HANG, 0, List.of(), new byte[0], 0, null);
  }

  /** Sends a 200 status line and headers promptly, then the body one byte a second, forever. */
  public static ReceiverResponse dripBody() {
    return dripBody(ONE_SECOND);
  }

  /** As {@link #dripBody()}, one byte per {@code interval}. */
  public static ReceiverResponse dripBody(Duration interval) {
    return new ReceiverResponse(Kind.DRIP_BODY, 200, List.of(), new byte[0], 0, interval);
  }

  /** Sends the status line itself one byte a second, then a header that never ends. */
  public static ReceiverResponse dripStatusLine() {
    return dripStatusLine(ONE_SECOND);
  }

  /** As {@link #dripStatusLine()}, one byte per {@code interval}. */
  public static ReceiverResponse dripStatusLine(Duration interval) {
    return new ReceiverResponse(Kind.DRIP_STATUS_LINE, 200, List.of(), new byte[0], 0, interval);
  }

  /** Reads the request, then aborts the connection with a TCP RST (SO_LINGER 0). */
  public static ReceiverResponse reset() {
    return new ReceiverResponse(Kind.RESET, 0, List.of(), new byte[0], 0, null);
  }

  /** A 200 whose body is {@code bytes} bytes long, streamed as fast as the client reads. */
  public static ReceiverResponse hugeBody(long bytes) {
    return new ReceiverResponse(Kind.HUGE_BODY, 200, List.of(), new byte[0], bytes, null);
  }

  /** This response with one more header line (only for {@link #status(int)} responses). */
  public ReceiverResponse withHeader(String name, String value) {
    List<Map.Entry<String, String>> more = new ArrayList<>(headers);
    more.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
    return new ReceiverResponse(kind, status, more, body, size, interval);
  }

  /** This response with a UTF-8 body. */
  public ReceiverResponse withBody(String body) {
    return withBody(body.getBytes(StandardCharsets.UTF_8));
  }

  /** This response with these exact body bytes. */
  public ReceiverResponse withBody(byte[] body) {
    return new ReceiverResponse(kind, status, headers, body.clone(), size, interval);
  }

  void answer(Socket socket, InputStream in, OutputStream out)
      throws IOException, InterruptedException {
    switch (kind) {
      case STATUS -> {
        out.write(head(status, headers, bodyless(status) ? -1 : body.length));
        out.write(body);
        out.flush();
      }
      case HANG -> in.transferTo(OutputStream.nullOutputStream());
      case DRIP_BODY -> {
        out.write(head(200, headers, 1L << 40));
        drip(out, new byte[0]);
      }
      case DRIP_STATUS_LINE ->
          drip(out, "HTTP/1.1 200 OK\r\nX-Drip: ".getBytes(StandardCharsets.US_ASCII));
      case RESET -> {
        socket.setSoLinger(true, 0);
        socket.close();
      }
      case HUGE_BODY -> {
        out.write(head(200, headers, size));
        byte[] chunk = new byte[8192];
        Arrays.fill(chunk, (byte) 'x');
        for (long left = size; left > 0; left -= chunk.length) {
          out.write(chunk, 0, (int) Math.min(chunk.length, left));
        }
        out.flush();
      }
    }
  }

  /** Writes {@code prefix} then endless {@code x}, a byte per interval, until the client leaves. */
  private void drip(OutputStream out, byte[] prefix) throws IOException, InterruptedException {
    for (int i = 0; ; i++) {
      out.write(i < prefix.length ? prefix[i] : 'x');
      out.flush();
      Thread.sleep(interval.toMillis());
    }
  }

  private static boolean bodyless(int status) {
    return status < 200 || status == 204 || status == 304;
  }

  private static byte[] head(
      int status, List<Map.Entry<String, String>> headers, long contentLength) {
    StringBuilder head =
        new StringBuilder("HTTP/1.1 ")
            .append(status)
            .append(' ')
            .append(reason(status))
            .append("\r\n");
    headers.forEach(h -> head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n"));
    if (contentLength >= 0) {
      head.append("Content-Length: ").append(contentLength).append("\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    return head.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 201 -> "Created";
      case 202 -> "Accepted";
      case 204 -> "No Content";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 307 -> "Temporary Redirect";
      case 308 -> "Permanent Redirect";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 410 -> "Gone";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      default -> "Status " + status;
    };
  }

  @Override
  public String toString() {
    return kind == Kind.STATUS
        ? "ReceiverResponse[" + status + ", " + body.length + " body bytes]"
        : "ReceiverResponse[" + kind + "]";
  }
}
