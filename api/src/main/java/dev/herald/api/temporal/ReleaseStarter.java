package dev.herald.api.temporal;

import dev.herald.workflows.release.ReleaseInput;
import dev.herald.workflows.release.ReleaseWorkflow;
import dev.herald.workflows.release.ReleaseWorkflows;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases a subscription's held deliveries: call it once the subscription is deliverable again
 * (unpaused, re-enabled). Signal-with-start of {@code subscription-release-<subscriptionId>}: a
 * release already running is told to look again (it may be about to end having seen nothing),
 * otherwise a new one starts. Either way there is one release per subscription at a time.
 */
final class ReleaseStarter {

  private static final Logger log = LoggerFactory.getLogger(ReleaseStarter.class);

  private final WorkflowClient client;
  private final int ratePerSecond;

  /**
   * @param ratePerSecond held deliveries released per second (per batch, batches a second apart)
   */
  public ReleaseStarter(WorkflowClient client, int ratePerSecond) {
    this.client = client;
    this.ratePerSecond = ratePerSecond;
  }

  /**
   * Starts the release of the subscription's held deliveries, or tells the running one to look
   * again. Never throws for Temporal: the deliveries stay held in PostgreSQL, and the sweeper
   * calls this again once they have waited past its grace period.
   *
   * @return true when Temporal took the request, false when it could not be reached
   */
  public boolean release(String subscriptionId) {
    ReleaseWorkflow workflow =
        client.newWorkflowStub(ReleaseWorkflow.class, ReleaseWorkflows.options(subscriptionId));
    BatchRequest request = client.newSignalWithStartRequest();
    request.add(workflow::release, ReleaseInput.of(subscriptionId, ratePerSecond));
    request.add(workflow::releaseAgain);
    try {
      client.signalWithStart(request);
      return true;
    } catch (RuntimeException e) {
      log.warn("could not start the release of {}; the sweeper will: {}", subscriptionId, e.toString());
      return false;
    }
  }
}
