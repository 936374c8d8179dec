package dev.herald.worker.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback in front of PostgreSQL that counts what its clients ask. It reads the
 * frontend protocol: after the untyped startup packet each message is one type byte and an int32
 * length that counts itself. {@code E} (Execute) and {@code Q} (a simple query) are statements,
 * attributed to their SQL through the Parse and Bind before them.
 *
 * <p>A round trip is a wait: it begins with the first message a client sends while none of its
 * requests is outstanding, and ends when the server has answered every {@code S} (Sync) and
 * {@code Q} sent meanwhile with {@code Z} (ReadyForQuery). So requests a client pipelines count
 * once: the JDBC driver sends a transaction's {@code BEGIN} as a simple query in the same write
 * as the transaction's first statement and does not wait for its answer in between. A round trip
 * whose only statement is the pool's connection check ({@value #CONNECTION_CHECK}) is counted
 * apart, and a new connection's start-up (its password exchange, up to the server's first
 * ReadyForQuery) is not counted. An SSL or GSS encryption request is refused by the proxy itself
 * ({@code N}), so that the client speaks in the clear. Server replies pass through untouched; the
 * proxy only reads their types.
 */
final class PgRoundTripProxy implements AutoCloseable {

  /** Dropwizard's validation query, sent when a pooled connection is borrowed or idle. */
  static final String CONNECTION_CHECK = "/* Health Check */ SELECT 1";

  private static final int SSL_REQUEST = 80877103;
  private static final int GSSENC_REQUEST = 80877104;
  private static final int CANCEL_REQUEST = 80877102;

  /** Counts at one moment: round trips of work, connection checks, and statements by SQL. */
  record Counts(long roundTrips, long checks, Map<String, Long> statements) {

    Counts minus(Counts earlier) {
      Map<String, Long> diff = new TreeMap<>();
      statements.forEach((sql, n) -> {
        long d = n - earlier.statements.getOrDefault(sql, 0L);
        if (d != 0) {
          diff.put(sql, d);
        }
      });
      return new Counts(roundTrips - earlier.roundTrips, checks - earlier.checks, diff);
    }

    /** Statements other than the connection check. */
    long workStatements() {
      return statements.entrySet().stream()
          .filter(e -> !e.getKey().equals(CONNECTION_CHECK))
          .mapToLong(Map.Entry::getValue)
          .sum();
    }
  }

  private final InetSocketAddress target;
  private final ServerSocket listener;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicLong roundTrips = new AtomicLong();
  private final AtomicLong checks = new AtomicLong();
  private final Map<String, LongAdder> statements = new ConcurrentHashMap<>();

  private PgRoundTripProxy(InetSocketAddress target, ServerSocket listener) {
    this.target = target;
    this.listener = listener;
  }

  static PgRoundTripProxy to(String host, int port) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    PgRoundTripProxy proxy = new PgRoundTripProxy(new InetSocketAddress(host, port), server);
    Thread accept = new Thread(proxy::accept, "pg-count-accept-" + server.getLocalPort());
    accept.setDaemon(true);
    accept.start();
    return proxy;
  }

  int port() {
    return listener.getLocalPort();
  }

  Counts counts() {
    Map<String, Long> copy = new TreeMap<>();
    statements.forEach((sql, n) -> copy.put(sql, n.sum()));
    return new Counts(roundTrips.get(), checks.get(), copy);
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException closed) {
        return;
      }
      Socket upstream = new Socket();
      try {
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        upstream.connect(target, 5_000);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(upstream);
        continue;
      }
      sockets.add(client);
      sockets.add(upstream);
      Session session = new Session();
      thread(() -> frontend(client, upstream, session), "pg-count-frontend");
      thread(() -> backend(upstream, client, session), "pg-count-backend");
    }
  }

  /** Client to server, read and counted. */
  private void frontend(Socket client, Socket upstream, Session session) {
    try {
      DataInputStream in = new DataInputStream(new BufferedInputStream(client.getInputStream(), 16 * 1024));
      OutputStream toServer = new BufferedOutputStream(upstream.getOutputStream(), 16 * 1024);
      OutputStream toClient = client.getOutputStream();
      // Untyped packets: encryption requests (refused here), then the startup or a cancel.
      while (true) {
        int length = in.readInt();
        int code = in.readInt();
        byte[] rest = in.readNBytes(length - 8);
        if (code == SSL_REQUEST || code == GSSENC_REQUEST) {
          toClient.write('N');
          toClient.flush();
          continue;
        }
        writeInt(toServer, length);
        writeInt(toServer, code);
        toServer.write(rest);
        toServer.flush();
        if (code == CANCEL_REQUEST) {
          return;
        }
        break;
      }
      while (true) {
        int type = in.read();
        if (type < 0) {
          return;
        }
        int length = in.readInt();
        byte[] body = in.readNBytes(length - 4);
        session.read((char) type, body);
        toServer.write(type);
        writeInt(toServer, length);
        toServer.write(body);
        if (in.available() == 0 && !moreComing(in)) {
          toServer.flush();
        }
      }
    } catch (IOException ended) {
      // one side closed: close both below
    } finally {
      closeBoth(client, upstream);
    }
  }

  /**
   * What one connection has prepared and bound, the statements of its current round trip, and
   * how many of its requests the server has yet to answer. Read by the frontend thread, answered
   * by the backend thread.
   */
  private final class Session {
    private final Map<String, String> prepared = new HashMap<>();
    private final Map<String, String> portals = new HashMap<>();
    private final List<String> batch = new ArrayList<>();
    private int outstanding;
    private boolean open;
    /** Until the server's first ReadyForQuery: the password exchange of a new connection. */
    private boolean established;

    synchronized void read(char type, byte[] body) {
      if (outstanding == 0 && !open) {
        open = true;
        batch.clear();
      }
      if (type == 'S' || type == 'Q') {
        outstanding++;
      }
      switch (type) {
        case 'P' -> {
          int[] at = {0};
          String name = cstring(body, at);
          prepared.put(name, normalize(cstring(body, at)));
        }
        case 'B' -> {
          int[] at = {0};
          String portal = cstring(body, at);
          portals.put(portal, prepared.getOrDefault(cstring(body, at), "?"));
        }
        case 'E' -> {
          String sql = portals.getOrDefault(cstring(body, new int[] {0}), "?");
          batch.add(sql);
          statements.computeIfAbsent(sql, s -> new LongAdder()).increment();
        }
        case 'Q' -> {
          String sql = normalize(cstring(body, new int[] {0}));
          statements.computeIfAbsent(sql, s -> new LongAdder()).increment();
          batch.add(sql);
        }
        default -> { }
      }
    }

    /** The server answered a Sync or a simple query ({@code Z}). */
    synchronized void ready() {
      if (!established) {
        // The end of the connection's start-up: the pool opening a connection, not work asked.
        established = true;
        outstanding = 0;
        open = false;
        batch.clear();
        return;
      }
      if (outstanding > 0) {
        outstanding--;
      }
      if (outstanding == 0 && open) {
        open = false;
        endBatch();
      }
    }

    private void endBatch() {
      if (!batch.isEmpty() && batch.stream().allMatch(CONNECTION_CHECK::equals)) {
        checks.incrementAndGet();
      } else {
        roundTrips.incrementAndGet();
      }
      batch.clear();
    }
  }

  private static String cstring(byte[] body, int[] at) {
    int start = at[0];
    int end = start;
    while (end < body.length && body[end] != 0) {
      end++;
    }
    at[0] = end + 1;
    return new String(body, start, end - start, StandardCharsets.UTF_8);
  }

  private static String normalize(String sql) {
    return sql.strip().replaceAll("\\s+", " ");
  }

  /**
   * Whether the client sends more within {@link #PIPELINE_WINDOW} while what it sent so far is
   * still held here. Bytes that come meanwhile were sent before the server could answer (it has
   * not seen the request yet), so they belong to the same round trip; without the wait, a write
   * that reaches the proxy in two reads would count as two round trips. Costs the counted phase up
   * to that long per request, and measures no latency.
   */
  private static boolean moreComing(InputStream in) throws IOException {
    long deadline = System.nanoTime() + PIPELINE_WINDOW.toNanos();
    while (System.nanoTime() < deadline) {
      if (in.available() > 0) {
        return true;
      }
      LockSupport.parkNanos(50_000);
    }
    return false;
  }

  private static final Duration PIPELINE_WINDOW = Duration.ofMillis(20);

  /** Server to client, as is; each ReadyForQuery ({@code Z}) is told to the session. */
  private void backend(Socket upstream, Socket client, Session session) {
    byte[] buffer = new byte[16 * 1024];
    // Where the reader stands in the typed message stream: the header's bytes read so far
    // (type and length), then the bytes of the body left to skip.
    byte[] header = new byte[5];
    int headerRead = 0;
    long bodyLeft = 0;
    try (InputStream in = upstream.getInputStream(); OutputStream out = client.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
        for (int i = 0; i < n; ) {
          if (bodyLeft > 0) {
            int skip = (int) Math.min(bodyLeft, n - i);
            bodyLeft -= skip;
            i += skip;
            continue;
          }
          header[headerRead++] = buffer[i++];
          if (headerRead == 5) {
            headerRead = 0;
            int length = ((header[1] & 0xff) << 24) | ((header[2] & 0xff) << 16)
                | ((header[3] & 0xff) << 8) | (header[4] & 0xff);
            bodyLeft = length - 4;
            if (header[0] == 'Z') {
              session.ready();
            }
          }
        }
      }
    } catch (IOException ended) {
      // one side closed
    } finally {
      closeBoth(upstream, client);
    }
  }

  private void closeBoth(Socket a, Socket b) {
    closeQuietly(a);
    closeQuietly(b);
    sockets.remove(a);
    sockets.remove(b);
  }

  private static void writeInt(OutputStream out, int v) throws IOException {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }

  private static void thread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    sockets.clear();
  }
}
