package dev.herald.worker.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback in front of a server (here PostgreSQL), to take the server away from a
 * client and give it back without touching the server: {@link #cut()} closes every connection
 * and refuses new ones (the port is closed), {@link #restore()} listens again on the same port.
 */
final class LoopbackProxy implements AutoCloseable {

  private final InetSocketAddress target;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket listener;
  private int port;

  private LoopbackProxy(InetSocketAddress target) {
    this.target = target;
  }

  /** A proxy on an ephemeral loopback port, forwarding to {@code host:port}. */
  static LoopbackProxy to(String host, int port) throws IOException {
    LoopbackProxy proxy = new LoopbackProxy(new InetSocketAddress(host, port));
    proxy.listen(0);
    return proxy;
  }

  int port() {
    return port;
  }

  /** Closes every connection through the proxy and stops listening: connections are refused. */
  synchronized void cut() throws IOException {
    listener.close();
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
    sockets.clear();
  }

  /** Listens again, on the same port. */
  synchronized void restore() throws IOException {
    listen(port);
  }

  private void listen(int on) throws IOException {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), on));
    port = server.getLocalPort();
    listener = server;
    Thread accept = new Thread(() -> accept(server), "proxy-accept-" + port);
    accept.setDaemon(true);
    accept.start();
  }

  private void accept(ServerSocket server) {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException closed) {
        return;
      }
      Socket upstream = new Socket();
      try {
        upstream.connect(target, 5_000);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(upstream);
        continue;
      }
      sockets.add(client);
      sockets.add(upstream);
      pump(client, upstream);
      pump(upstream, client);
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException ended) {
        // one side closed: close both below
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        sockets.remove(from);
        sockets.remove(to);
      }
    }, "proxy-pump");
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
    cut();
  }
}
