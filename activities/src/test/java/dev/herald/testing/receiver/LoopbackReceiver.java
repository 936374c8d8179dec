package dev.herald.testing.receiver;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP/1.1 endpoint on an ephemeral port of 127.0.0.1, for tests that need to see what
 * actually arrived on the wire, in the spirit of OkHttp's MockWebServer.
 *
 * <pre>{@code
 * try (LoopbackReceiver receiver = LoopbackReceiver.start()) {
 *     receiver.enqueue(ReceiverResponse.status(503).withHeader("Retry-After", "7"));
 *     receiver.setDefault(ReceiverResponse.status(204));
 *     ... POST to receiver.url("/hooks") ...
 *     RecordedRequest first = receiver.takeRequest(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>Every request is recorded (method, path, header lines, exact body bytes, arrival time) and
 * then answered with the next {@linkplain #enqueue enqueued} response, or the {@linkplain
 * #setDefault default} (200, empty) once the queue is empty. Each connection is served on its own
 * daemon thread, carries one request and is closed after the answer. Thread-safe.
 */
public final class LoopbackReceiver implements AutoCloseable {

  private final ServerSocket serverSocket;
  private final Clock clock;
  private final Thread acceptor;
  private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
  private final Set<Thread> connectionThreads = ConcurrentHashMap.newKeySet();
  private final ConcurrentLinkedQueue<ReceiverResponse> responses = new ConcurrentLinkedQueue<>();
  private final BlockingQueue<RecordedRequest> untaken = new LinkedBlockingQueue<>();
  private final List<RecordedRequest> recorded = new ArrayList<>(); // guarded by itself
  private final AtomicInteger connections = new AtomicInteger();
  private volatile Function<RecordedRequest, ReceiverResponse> defaultResponse =
      request -> ReceiverResponse.status(200);
  private volatile boolean closed;

  private LoopbackReceiver(ServerSocket serverSocket, Clock clock) {
    this.serverSocket = serverSocket;
    this.clock = clock;
    this.acceptor = new Thread(this::acceptLoop, "loopback-receiver-" + port() + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Starts a receiver on 127.0.0.1 and an ephemeral port, stamping arrivals with the system clock.
   */
  public static LoopbackReceiver start() {
    return start(Clock.systemUTC());
  }

  /** Starts a receiver whose {@link RecordedRequest#arrivedAt()} comes from {@code clock}. */
  public static LoopbackReceiver start(Clock clock) {
    try {
      InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
      return new LoopbackReceiver(new ServerSocket(0, 50, loopback), Objects.requireNonNull(clock));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind a loopback port", e);
    }
  }

  /** The port this receiver listens on. */
  public int port() {
    return serverSocket.getLocalPort();
  }

  /** {@code http://127.0.0.1:PORT/}. */
  public String url() {
    return url("/");
  }

  /** {@code http://127.0.0.1:PORT/path}; a missing leading slash is added. */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + (path.startsWith("/") ? path : "/" + path);
  }

  /** Answers one future request (in arrival order) with {@code response}. */
  public void enqueue(ReceiverResponse response) {
    responses.add(Objects.requireNonNull(response));
  }

  /** Answers every request with {@code response} once the enqueued ones are used up. */
  public void setDefault(ReceiverResponse response) {
    Objects.requireNonNull(response);
    defaultResponse = request -> response;
  }

  /**
   * Answers every request, once the enqueued responses are used up, with what {@code responder}
   * makes of it: e.g. 503 to each {@code herald-attempt: 1} and 204 to the rest.
   */
  public void setDefault(Function<RecordedRequest, ReceiverResponse> responder) {
    defaultResponse = Objects.requireNonNull(responder);
  }

  /** The next request not yet taken, waiting up to {@code timeout}; null if none arrived. */
  public RecordedRequest takeRequest(Duration timeout) throws InterruptedException {
    return untaken.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Every request received so far, in arrival order (taken or not). */
  public List<RecordedRequest> requests() {
    synchronized (recorded) {
      return List.copyOf(recorded);
    }
  }

  /**
   * Waits until at least {@code count} requests have arrived and returns them all.
   *
   * @throws AssertionError if fewer arrived within {@code timeout}
   */
  public List<RecordedRequest> awaitRequests(int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (recorded) {
      while (recorded.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "expected "
                  + count
                  + " requests within "
                  + timeout
                  + " but "
                  + recorded.size()
                  + " arrived: "
                  + recorded);
        }
        TimeUnit.NANOSECONDS.timedWait(recorded, left);
      }
      return List.copyOf(recorded);
    }
  }

  /** How many TCP connections were accepted, including ones that never sent a request. */
  public int connectionCount() {
    return connections.get();
  }

  /** Stops accepting, cuts every open connection and ends the receiver's threads. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(serverSocket);
    openSockets.forEach(LoopbackReceiver::closeQuietly);
    connectionThreads.forEach(Thread::interrupt);
    try {
      acceptor.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        return; // closed
      }
      connections.incrementAndGet();
      openSockets.add(socket);
      Thread thread =
          new Thread(
              () -> serve(socket),
              "loopback-receiver-" + port() + "-connection-" + connections.get());
      thread.setDaemon(true);
      connectionThreads.add(thread);
      thread.start();
      if (closed) {
        closeQuietly(socket);
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      RecordedRequest request = RequestReader.read(in, clock);
      if (request == null) {
        return;
      }
      record(request);
      ReceiverResponse response = responses.poll();
      (response == null ? defaultResponse.apply(request) : response)
          .answer(socket, in, socket.getOutputStream());
    } catch (IOException | InterruptedException e) {
      // The client gave up, or the receiver is closing: both are normal here.
    } finally {
      openSockets.remove(socket);
      connectionThreads.remove(Thread.currentThread());
    }
  }

  private void record(RecordedRequest request) {
    synchronized (recorded) {
      recorded.add(request);
      recorded.notifyAll();
    }
    untaken.add(request);
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException ignored) {
      // Already closed or broken; nothing to do.
    }
  }
}
