package dev.herald.activities.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.DnsResolver;

/**
 * Keeps a name lookup inside the deadline of the attempt that asks for it. A blocking lookup
 * cannot be interrupted, and the scheduled abort of {@link WebhookSender} only closes sockets, so a
 * slow DNS server could otherwise hold an attempt for as long as the system resolver retries. The
 * lookup runs on a small pool of its own; the asking thread waits for it at most until the
 * deadline, then gives up and marks the deadline as passed.
 *
 * <p>HttpClient's classic client resolves on the thread that sends, so the deadline travels in a
 * thread-local set by {@link #within}. Outside {@code within} lookups are not bounded.
 */
final class DeadlineBoundLookup implements DnsResolver, AutoCloseable {

  /** When the current attempt must be over, and the flag that says it was. */
  record Deadline(long nanoTime, AtomicBoolean passed) {}

  /** What runs under a deadline: one exchange. */
  @FunctionalInterface
  interface Work<T> {
    T run() throws IOException;
  }

  private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

  private final DnsResolver delegate;
  private final ThreadPoolExecutor lookups;

  DeadlineBoundLookup(DnsResolver delegate, int threads) {
    this.delegate = delegate;
    this.lookups =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            runnable -> {
              Thread thread = new Thread(runnable, "herald-webhook-lookups");
              thread.setDaemon(true);
              return thread;
            });
    lookups.allowCoreThreadTimeOut(true);
  }

  /** Runs {@code work}, whose lookups on this thread end by {@code deadline}. */
  <T> T within(Deadline deadline, Work<T> work) throws IOException {
    Deadline outer = CURRENT.get();
    CURRENT.set(deadline);
    try {
      return work.run();
    } finally {
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
    }
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    Deadline deadline = CURRENT.get();
    if (deadline == null) {
      return delegate.resolve(host);
    }
    Future<InetAddress[]> lookup = lookups.submit(() -> delegate.resolve(host));
    try {
      return lookup.get(Math.max(0, deadline.nanoTime() - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      lookup.cancel(true);
      deadline.passed().set(true);
      throw new UnknownHostException("the lookup of " + host + " did not end within the deadline");
    } catch (InterruptedException e) {
      lookup.cancel(true);
      Thread.currentThread().interrupt();
      throw new UnknownHostException("interrupted while looking up " + host);
    } catch (ExecutionException e) {
      // The guard's BlockedAddressException is an UnknownHostException: it passes unchanged.
      if (e.getCause() instanceof UnknownHostException unknown) {
        throw unknown;
      }
      UnknownHostException failed = new UnknownHostException("the lookup of " + host + " failed");
      failed.initCause(e.getCause());
      throw failed;
    }
  }

  @Override
  public String resolveCanonicalHostname(String host) throws UnknownHostException {
    return delegate.resolveCanonicalHostname(host);
  }

  @Override
  public void close() {
    lookups.shutdownNow();
  }
}
