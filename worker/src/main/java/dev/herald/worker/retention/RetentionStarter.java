package dev.herald.worker.retention;

import dev.herald.workflows.retention.RetentionInput;
import dev.herald.workflows.retention.RetentionWorkflow;
import dev.herald.workflows.retention.RetentionWorkflows;
import io.dropwizard.lifecycle.Managed;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the retention workflow {@code herald-retention} as the worker starts, unless it runs
 * already (then it is left alone, whichever worker started it). While Temporal cannot be reached
 * it tries again every {@link #RETRY}, on a daemon thread, until one start is answered.
 */
public final class RetentionStarter implements Managed {

  private static final Logger log = LoggerFactory.getLogger(RetentionStarter.class);

  static final Duration RETRY = Duration.ofMinutes(1);

  private final WorkflowClient client;
  private final RetentionInput input;
  private ScheduledExecutorService executor;

  public RetentionStarter(WorkflowClient client, RetentionInput input) {
    this.client = client;
    this.input = input;
  }

  @Override
  public void start() {
    executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "herald-retention-start");
      t.setDaemon(true);
      return t;
    });
    executor.execute(this::attempt);
  }

  @Override
  public void stop() {
    executor.shutdownNow();
  }

  /** Starts the workflow, or finds it running; throws when Temporal cannot be reached. */
  public void startOrFind() {
    RetentionWorkflow workflow =
        client.newWorkflowStub(RetentionWorkflow.class, RetentionWorkflows.options());
    try {
      WorkflowClient.start(workflow::run, input);
      log.info("started the retention workflow {}", RetentionWorkflows.WORKFLOW_ID);
    } catch (WorkflowExecutionAlreadyStarted running) {
      log.debug("the retention workflow runs already");
    }
  }

  private void attempt() {
    try {
      startOrFind();
    } catch (RuntimeException e) {
      log.warn("could not start the retention workflow; trying again in {} s: {}",
          RETRY.toSeconds(), e.toString());
      executor.schedule(this::attempt, RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
