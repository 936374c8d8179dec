package dev.herald.worker.dev;

import dev.herald.api.HeraldContext;
import dev.herald.api.HeraldExtension;
import io.dropwizard.lifecycle.Managed;
import java.util.List;
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

  private final List<AutoCloseable> services;
  private final AtomicBoolean managed = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** {@code services} in the order they are to be stopped. */
  DevServices(List<AutoCloseable> services) {
    this.services = List.copyOf(services);
    Runtime.getRuntime().addShutdownHook(new Thread(this::closeUnlessManaged, "herald-dev-shutdown"));
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
