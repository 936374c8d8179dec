package dev.herald.testing.receiver;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads one HTTP/1.1 request off a socket: request line, headers, then a sized or chunked body. */
final class RequestReader {

  // Generous for tests, but bounded so a confused client cannot exhaust the heap.
  private static final int MAX_LINE = 64 * 1024;
  private static final int MAX_BODY = 64 * 1024 * 1024;

  private RequestReader() {}

  /** Returns null when the peer closed before sending a request line. */
  static RecordedRequest read(InputStream in, Clock clock) throws IOException {
    String requestLine = readLine(in, true);
    if (requestLine == null) {
      return null;
    }
    String[] parts = requestLine.split(" ", 3);
    if (parts.length < 2) {
      throw new IOException("malformed request line: " + requestLine);
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (String line = readLine(in, false); !line.isEmpty(); line = readLine(in, false)) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("malformed header line: " + line);
      }
      headers.add(
          new AbstractMap.SimpleImmutableEntry<>(
              line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
    }
    byte[] body = readBody(in, headers);
    return new RecordedRequest(parts[0], parts[1], headers, body, clock.instant());
  }

  private static byte[] readBody(InputStream in, List<Map.Entry<String, String>> headers)
      throws IOException {
    String transferEncoding = first(headers, "Transfer-Encoding");
    if (transferEncoding != null
        && transferEncoding.toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
      return readChunked(in);
    }
    String contentLength = first(headers, "Content-Length");
    if (contentLength == null) {
      return new byte[0];
    }
    long length = Long.parseLong(contentLength.trim());
    if (length > MAX_BODY) {
      throw new IOException("body too large for the receiver: " + length);
    }
    return readExactly(in, (int) length);
  }

  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in, false);
      int semicolon = sizeLine.indexOf(';');
      int size =
          Integer.parseInt(
              (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        // Trailers, if any, end with an empty line.
        while (!readLine(in, false).isEmpty()) {
          continue;
        }
        return body.toByteArray();
      }
      if (body.size() + size > MAX_BODY) {
        throw new IOException("body too large for the receiver");
      }
      body.write(readExactly(in, size));
      readLine(in, false);
    }
  }

  private static byte[] readExactly(InputStream in, int length) throws IOException {
    byte[] bytes = in.readNBytes(length);
    if (bytes.length < length) {
      throw new EOFException("body ended after " + bytes.length + " of " + length + " bytes");
    }
    return bytes;
  }

  /** A CRLF- (or bare LF-) terminated line in ISO-8859-1, as HTTP header octets are. */
  private static String readLine(InputStream in, boolean nullAtEof) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        if (nullAtEof && line.size() == 0) {
          return null;
        }
        throw new EOFException("connection closed mid-line");
      }
      if (line.size() >= MAX_LINE) {
        throw new IOException("line too long");
      }
      line.write(b);
    }
    String text = line.toString(StandardCharsets.ISO_8859_1);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }

  private static String first(List<Map.Entry<String, String>> headers, String name) {
    return headers.stream()
        .filter(header -> header.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }
}
