package dev.herald.worker.dev;

import dev.herald.api.HeraldContext;
import dev.herald.api.HeraldExtension;
import io.dropwizard.lifecycle.Managed;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servers {@code herald dev} starts for Herald (Temporal, then PostgreSQL), stopped after
 * Herald's worker and sweeper have stopped, so that neither is cut off mid-call: Dropwizard stops
 * what it manages in the reverse order of registration, and this extension registers first. If
 * the process ends before the application started, a JVM shutdown hook stops them instead.
 */
final class DevServices implements HeraldExtension {

  private static final Logger log = LoggerFactory.getLogger(DevServices.class);

  // The last started first: the order they are to be stopped in.
  private final Deque<AutoCloseable> services = new ConcurrentLinkedDeque<>();
  private final AtomicBoolean managed = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** None yet; the shutdown hook is in place before the first is started. */
  DevServices() {
    Runtime.getRuntime().addShutdownHook(new Thread(this::closeUnlessManaged, "herald-dev-shutdown"));
  }

  /** A service just started, to be stopped before those started earlier. */
  <T extends AutoCloseable> T started(T service) {
    services.addFirst(service);
    return service;
  }

  @Override
  public void run(HeraldContext context) {
    context.environment().lifecycle().manage(new Managed() {
      @Override
      public void start() {
        managed.set(true);
      }

      @Override
      public void stop() {
        close();
      }
    });
  }

  private void closeUnlessManaged() {
    if (!managed.get()) {
      close();
    }
  }

  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (AutoCloseable service : services) {
      try {
        service.close();
      } catch (Exception e) {
        log.warn("could not stop {}: {}", service, e.toString());
      }
    }
  }
}
