package dev.herald.testing.receiver;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import javax.security.auth.x500.X500Principal;

/**
 * An HTTPS/1.1 endpoint on an ephemeral port of 127.0.0.1 that asks for a client certificate,
 * requiring one or not, and records who presented what: each request's client certificate subject
 * (null for none) and the client's port, which names its connection. Answers 204 and keeps
 * connections alive. A handshake it refuses ends as a well-behaved server ends it: the TLS alert,
 * then a lingering close, so that the client reads the alert rather than a reset. Thread-safe.
 */
public final class TlsReceiver implements AutoCloseable {

  /**
   * One request as it arrived.
   *
   * @param clientSubject the client certificate's subject (RFC 2253), or null when none was shown
   * @param clientPort the port of the client's end of the connection: equal ports, same connection
   * @param body the body as UTF-8
   */
  public record Arrival(String path, String clientSubject, int clientPort, String body) {}

  private final ServerSocket server;
  private final SSLContext context;
  private final boolean requireClientCertificate;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final List<Arrival> arrivals = new ArrayList<>(); // guarded by itself
  private volatile int refusedHandshakes;

  private TlsReceiver(SSLContext context, boolean requireClientCertificate) throws IOException {
    this.context = context;
    this.requireClientCertificate = requireClientCertificate;
    this.server = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
    Thread acceptor = new Thread(this::accept, "tls-receiver-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Starts a receiver with {@code context} (its certificate, and the authorities it trusts client
   * certificates by).
   *
   * @param requireClientCertificate refuse the handshake without one; else ask for one only
   */
  public static TlsReceiver start(SSLContext context, boolean requireClientCertificate) {
    try {
      return new TlsReceiver(context, requireClientCertificate);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code https://127.0.0.1:PORT/path}. */
  public String url(String path) {
    return "https://127.0.0.1:" + server.getLocalPort() + path;
  }

  /** Every request so far, in arrival order. */
  public List<Arrival> arrivals() {
    synchronized (arrivals) {
      return List.copyOf(arrivals);
    }
  }

  /** How many handshakes this receiver refused. */
  public int refusedHandshakes() {
    return refusedHandshakes;
  }

  /** Waits until at least {@code count} requests have arrived and returns them all. */
  public List<Arrival> awaitArrivals(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (arrivals) {
      while (arrivals.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("expected " + count + " requests within " + timeout + " but got " + arrivals);
        }
        TimeUnit.NANOSECONDS.timedWait(arrivals, left);
      }
      return List.copyOf(arrivals);
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    open.forEach(TlsReceiver::closeQuietly);
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket plain;
      try {
        plain = server.accept();
      } catch (IOException e) {
        return;
      }
      open.add(plain);
      Thread t = new Thread(() -> serve(plain), "tls-receiver-connection");
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(Socket plain) {
    try (plain) {
      plain.setSoTimeout(10_000);
      // Not closing the plain socket with the TLS one: a refused handshake closes it gently below.
      SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, null, false);
      tls.setUseClientMode(false);
      if (requireClientCertificate) {
        tls.setNeedClientAuth(true);
      } else {
        tls.setWantClientAuth(true);
      }
      try {
        tls.startHandshake();
      } catch (IOException refused) {
        refusedHandshakes++;
        lingeringClose(plain);
        return;
      }
      String subject = subject(tls);
      InputStream in = new BufferedInputStream(tls.getInputStream());
      OutputStream out = tls.getOutputStream();
      while (true) {
        String requestLine = line(in);
        if (requestLine == null || requestLine.isEmpty()) {
          return;
        }
        int length = 0;
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
          int colon = header.indexOf(':');
          if (colon > 0 && header.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
            length = Integer.parseInt(header.substring(colon + 1).trim());
          }
        }
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        synchronized (arrivals) {
          arrivals.add(new Arrival(requestLine.split(" ")[1], subject, plain.getPort(), body));
          arrivals.notifyAll();
        }
        out.write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    } catch (IOException e) {
      // the client went away
    } finally {
      open.remove(plain);
    }
  }

  private static String subject(SSLSocket tls) {
    try {
      return ((X500Principal) tls.getSession().getPeerPrincipal()).getName(X500Principal.RFC2253);
    } catch (SSLPeerUnverifiedException none) {
      return null;
    }
  }

  /** Stops sending, reads what the client still sends until it closes, then closes. */
  private static void lingeringClose(Socket plain) {
    try {
      plain.shutdownOutput();
      plain.setSoTimeout(2_000);
      InputStream in = plain.getInputStream();
      byte[] buffer = new byte[4096];
      while (in.read(buffer) >= 0) {
        // discard
      }
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (b == '\n') {
        String s = bytes.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      bytes.write(b);
    }
    return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.ISO_8859_1);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
