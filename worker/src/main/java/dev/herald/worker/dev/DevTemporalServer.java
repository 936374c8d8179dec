package dev.herald.worker.dev;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's in-memory server, in real time, on 127.0.0.1 only: what {@code herald dev} runs so
 * that a laptop needs no Temporal cluster. Other processes (the {@code temporal} CLI, a second
 * worker) can reach it; nothing survives a restart, which the sweeper makes good.
 *
 * <p>{@code TestServer.createPortBoundServer} binds every interface, so the server is assembled
 * here from the same parts, bound to loopback.
 */
public final class DevTemporalServer implements AutoCloseable {

  private final TestServicesStarter services;
  private final Server server;

  private DevTemporalServer(TestServicesStarter services, Server server) {
    this.services = services;
    this.server = server;
  }

  public static DevTemporalServer start(int port) {
    // lockTimeSkipping = true: timers run on the wall clock, as on a real cluster.
    TestServicesStarter services = new TestServicesStarter(true, 0);
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
            InsecureServerCredentials.create());
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    try {
      return new DevTemporalServer(services, builder.build().start());
    } catch (IOException e) {
      services.close();
      throw new UncheckedIOException(
          "could not start the in-memory Temporal server on 127.0.0.1:" + port
              + " (is the port taken? set HERALD_TEMPORAL_PORT)", e);
    }
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    services.close();
  }
}
