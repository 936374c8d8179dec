package dev.herald.api.temporal;

import dev.herald.model.DeliveryInput;
import dev.herald.workflows.delivery.DeliveryWorkflow;
import io.dropwizard.lifecycle.Managed;
import io.temporal.client.WorkflowClient;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signals sent to delivery workflows on behalf of the API. PostgreSQL is already up to date when
 * a signal is sent: the signal only lets a workflow that waits out a long backoff end now rather
 * than at its next attempt, so the Temporal UI agrees with the record at once.
 */
final class DeliverySignals implements Managed {

  private static final Logger log = LoggerFactory.getLogger(DeliverySignals.class);

  private final WorkflowClient client;
  private final ExecutorService background =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "herald-delivery-signals");
            t.setDaemon(true);
            return t;
          });

  public DeliverySignals(WorkflowClient client) {
    this.client = client;
  }

  /**
   * Sends {@code cancel} to the workflows of these deliveries, one after another off the
   * caller's thread (a deleted subscription may have thousands). A workflow that is gone or
   * unreachable is skipped: its next attempt finds the delivery cancelled and sends nothing.
   */
  public void cancelInBackground(List<String> deliveryIds) {
    if (deliveryIds.isEmpty()) {
      return;
    }
    background.execute(
        () -> {
          int signalled = 0;
          for (String id : deliveryIds) {
            if (cancel(id)) {
              signalled++;
            }
          }
          log.info("cancel signalled to {} of {} delivery workflows", signalled, deliveryIds.size());
        });
  }

  /** Sends {@code retryNow} to one delivery's workflow; false when it is not running. */
  public boolean retryNow(String deliveryId) {
    return signal(deliveryId, "retryNow", DeliveryWorkflow::retryNow);
  }

  /**
   * Sends {@code slotFree} to one delivery's workflow: a slot of its endpoint's {@code
   * maxConcurrency} was freed. False when it is not running.
   */
  public boolean slotFree(String deliveryId) {
    return signal(deliveryId, "slotFree", DeliveryWorkflow::slotFree);
  }

  /** Sends {@code cancel} to one delivery's workflow; false when it is not running. */
  public boolean cancel(String deliveryId) {
    return signal(deliveryId, "cancel", DeliveryWorkflow::cancel);
  }

  private boolean signal(String deliveryId, String name, Consumer<DeliveryWorkflow> send) {
    try {
      send.accept(client.newWorkflowStub(DeliveryWorkflow.class, DeliveryInput.workflowId(deliveryId)));
      return true;
    } catch (RuntimeException e) {
      log.debug("no {} signal for {}: {}", name, deliveryId, e.toString());
      return false;
    }
  }

  @Override
  public void stop() throws InterruptedException {
    background.shutdown();
    background.awaitTermination(5, TimeUnit.SECONDS);
  }
}
