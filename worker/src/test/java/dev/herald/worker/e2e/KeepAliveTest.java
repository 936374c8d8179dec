package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A request refused before its body was read (no key, wrong scope) leaves the connection usable:
 * a pooled client's next request on it is answered, not cut off.
 */
class KeepAliveTest {

  private static HeraldHarness herald;

  @BeforeAll
  static void start() throws Exception {
    herald = new HeraldHarness();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @Test
  void aRefusedRequestWhoseBodyArrivesLateKeepsTheConnection() throws Exception {
    String body = "{\"type\":\"order.paid\",\"data\":{}}";
    try (Socket socket = new Socket("127.0.0.1", herald.app.getLocalPort())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      // The headers first; the body after the server had time to refuse the request.
      out.write(("POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(500);
      out.write(body.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String first = readResponse(in);
      assertThat(first).startsWith("HTTP/1.1 401");

      out.write("GET /v1/subscriptions HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String second = readResponse(in);
      assertThat(second).as("the next request on the same connection").startsWith("HTTP/1.1 401");
    }
  }

  /** One response with a Content-Length body; "" when the server closed the connection. */
  private static String readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    try {
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          return head.toString(StandardCharsets.ISO_8859_1);
        }
        head.write(b);
      }
    } catch (SocketTimeoutException | java.net.SocketException e) {
      return head.toString(StandardCharsets.ISO_8859_1);
    }
    String headers = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : headers.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    in.readNBytes(length);
    return headers;
  }
}
