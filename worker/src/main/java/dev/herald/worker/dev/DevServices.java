package dev.herald.worker.dev;

import dev.herald.api.HeraldContext;
import dev.herald.api.HeraldExtension;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servers {@code herald dev} starts for Herald (Temporal, then PostgreSQL), stopped once the
 * Jetty server and everything Dropwizard manages for Herald has stopped: the worker factory (which
 * waits for its last calls to Temporal, among them its shutdown call), the sweeper, the Temporal
 * connection and the database pool. Neither server is cut off mid-call, and Temporal's goes first,
 * then PostgreSQL. If the process ends before the application started, a JVM shutdown hook stops
 * them instead.
 */
final class DevServices implements HeraldExtension {

  private static final Logger log = LoggerFactory.getLogger(DevServices.class);

  // The last started first: the order they are to be stopped in.
  private final Deque<AutoCloseable> services = new ConcurrentLinkedDeque<>();
  private final AtomicBoolean managed = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();
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

  /**
   * A listener of the Jetty server's own life cycle, whose stop ends only after every managed
   * object has stopped: a managed object of its own would stop before those registered earlier,
   * and the Temporal connection and the database pool are registered before any extension runs.
   */
  @Override
  public void run(HeraldContext context) {
    context.environment().lifecycle().addEventListener(new LifeCycle.Listener() {
      @Override
      public void lifeCycleStarting(LifeCycle server) {
        managed.set(true);
      }

      @Override
      public void lifeCycleStopping(LifeCycle server) {
        stopping.set(true);
      }

      @Override
      public void lifeCycleStopped(LifeCycle server) {
        close();
      }

      @Override
      public void lifeCycleFailure(LifeCycle server, Throwable cause) {
        if (stopping.get()) { // a stop that failed part way: what could stop has stopped
          close();
        }
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
