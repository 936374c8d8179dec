package dev.herald.activities.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A loopback peer below HTTP, for what {@code LoopbackReceiver} cannot fake: it answers one
 * connection with fixed bytes at once (or stays silent) without reading a request first, which is
 * what breaks or stalls a TLS handshake deterministically.
 */
final class RawLoopbackPeer implements AutoCloseable {

  private final ServerSocket serverSocket;
  private final byte[] greeting;
  private final byte[] repeated;

  private RawLoopbackPeer(byte[] greeting) throws IOException {
    this(greeting, new byte[0]);
  }

  private RawLoopbackPeer(byte[] greeting, byte[] repeated) throws IOException {
    this.serverSocket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
    this.greeting = greeting;
    this.repeated = repeated;
    Thread thread = new Thread(this::answerOne, "raw-loopback-peer");
    thread.setDaemon(true);
    thread.start();
  }

  /** Writes a plain HTTP response as soon as a client connects. */
  static RawLoopbackPeer speakingPlainHttp() throws IOException {
    return new RawLoopbackPeer(
        "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
  }

  /** Accepts and reads, never writes a byte. */
  static RawLoopbackPeer silent() throws IOException {
    return new RawLoopbackPeer(new byte[0]);
  }

  /**
   * Writes {@code head}, then {@code repeated} again and again as fast as the client takes it,
   * until the client hangs up: an endless header block, an endless header line, an endless body.
   */
  static RawLoopbackPeer endless(String head, String repeated) throws IOException {
    return new RawLoopbackPeer(
        head.getBytes(StandardCharsets.US_ASCII),
        repeated.repeat(Math.max(1, 65536 / repeated.length())).getBytes(StandardCharsets.US_ASCII));
  }

  String httpUrl() {
    return "http://127.0.0.1:" + serverSocket.getLocalPort() + "/";
  }

  String httpsUrl() {
    return "https://127.0.0.1:" + serverSocket.getLocalPort() + "/";
  }

  private void answerOne() {
    try (Socket socket = serverSocket.accept()) {
      socket.getOutputStream().write(greeting);
      socket.getOutputStream().flush();
      if (repeated.length > 0) {
        while (true) {
          socket.getOutputStream().write(repeated);
        }
      }
      // Read until the client gives up, so it sees our bytes (or silence) rather than a reset.
      socket.getInputStream().transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // The client hung up or the peer was closed: expected.
    }
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
  }
}
