package dev.herald.activities.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.hc.core5.http.HttpEntity;

/**
 * The first {@value HttpExchange#MAX_BODY_BYTES} bytes of a response body, read without buffering
 * the rest.
 *
 * @param text the bytes decoded leniently, or null when the body was empty
 * @param complete whether the body ended within the limit (so the connection may be reused)
 */
record BoundedBody(String text, boolean complete) {

  static BoundedBody read(HttpEntity entity) throws IOException {
    InputStream in = entity == null ? null : entity.getContent();
    if (in == null) {
      return new BoundedBody(null, true);
    }
    // Deliberately not closed here: closing would drain an endless body.
    byte[] buffer = new byte[HttpExchange.MAX_BODY_BYTES];
    int length = 0;
    int read = 0;
    while (length < buffer.length
        && (read = in.read(buffer, length, buffer.length - length)) >= 0) {
      length += read;
    }
    // A body of exactly the limit is still complete if the stream ends right there.
    boolean complete = read < 0 || in.read() < 0;
    return new BoundedBody(length == 0 ? null : decode(buffer, length, !complete), complete);
  }

  /**
   * Decodes UTF-8, replacing malformed input with U+FFFD. When the bytes were cut off, a character
   * split by the cut is dropped rather than shown as garbage. NUL becomes U+FFFD because PostgreSQL
   * text cannot hold it.
   */
  static String decode(byte[] bytes, int length, boolean truncated) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    CharBuffer out = CharBuffer.allocate(length);
    decoder.decode(ByteBuffer.wrap(bytes, 0, length), out, !truncated);
    out.flip();
    return out.toString().replace('\u0000', '\uFFFD');
  }
}
