package dev.herald.workflows.health;

import dev.herald.workflows.temporal.HeraldSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributeKey;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Shared set-up for the health workflow tests: the environment, reports, and the client side of
 * signal-with-start as the attempt activity does it.
 */
final class HealthTesting {

  static final String SUBSCRIPTION_ID = "sub_test";
  static final String TENANT_ID = "ten_test";
  static final int DAY = 86_400;

  private HealthTesting() {}

  /** A time-skipping environment with the health workflow and Herald's search attributes. */
  static TestWorkflowExtension extension() {
    TestWorkflowExtension.Builder builder =
        TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(SubscriptionHealthWorkflowImpl.class)
            // The fake activities are made per test, so the worker starts in the test.
            .setDoNotStart(true);
    for (SearchAttributeKey<?> key : HeraldSearchAttributes.ALL) {
      builder.registerSearchAttribute(key.getName(), key.getValueType());
    }
    return builder.build();
  }

  static OwnerDesk start(TestWorkflowEnvironment env, Worker worker) {
    OwnerDesk desk = new OwnerDesk(env);
    return start(env, worker, desk);
  }

  static OwnerDesk start(TestWorkflowEnvironment env, Worker worker, OwnerDesk desk) {
    worker.registerActivitiesImplementations(desk);
    env.start();
    return desk;
  }

  /** Sends reports to one subscription's health workflow, starting it when needed. */
  static final class Reporter {
    private final WorkflowClient client;
    private final Worker worker;
    private final HealthInput input;

    Reporter(WorkflowClient client, Worker worker, int historyLimit) {
      this.client = client;
      this.worker = worker;
      this.input = new HealthInput(SUBSCRIPTION_ID, TENANT_ID, null, historyLimit);
    }

    Reporter(WorkflowClient client, Worker worker) {
      this(client, worker, HealthInput.DEFAULT_HISTORY_LIMIT);
    }

    void failed(AttemptReport report) {
      report(report, false);
    }

    void succeeded(AttemptReport report) {
      report(report, true);
    }

    /**
     * Signal-with-start, sent again when it did not arrive, as production's reporter is: a
     * report that fails fails the attempt activity, whose retry reports again. The in-memory
     * server answers NOT_FOUND ("Completed workflow") to a signal-with-start that lands just as a
     * run continues as new, which a real server does not.
     */
    private void report(AttemptReport report, boolean success) {
      for (int tries = 1; ; tries++) {
        SubscriptionHealthWorkflow stub = newStub();
        BatchRequest request = client.newSignalWithStartRequest();
        request.add(stub::watch, input);
        if (success) {
          request.add(stub::attemptSucceeded, report);
        } else {
          request.add(stub::attemptFailed, report);
        }
        try {
          client.signalWithStart(request);
          return;
        } catch (WorkflowServiceException e) {
          if (tries == 5 || !(e.getCause() instanceof StatusRuntimeException s)
              || s.getStatus().getCode() != Status.Code.NOT_FOUND) {
            throw e;
          }
          // Long enough for the new run to begin, as the activity's retry would wait.
          try {
            Thread.sleep(20);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw e;
          }
        }
      }
    }

    void reset(String reason) {
      running().reset(new ResetRequest(reason));
    }

    /** The workflow's current run, addressed by id as an operator would. */
    SubscriptionHealthWorkflow running() {
      return client.newWorkflowStub(
          SubscriptionHealthWorkflow.class, SubscriptionHealthWorkflows.workflowId(SUBSCRIPTION_ID));
    }

    HealthState state() {
      return running().state();
    }

    /** What the Temporal UI shows as current details, read through the SDK's built-in query. */
    String currentDetails() {
      return WorkflowStub.fromTyped(running())
          .query(WorkflowClient.QUERY_TYPE_WORKFLOW_METADATA, WorkflowMetadata.class)
          .getCurrentDetails();
    }

    /** Polls until the workflow has processed reports up to this count. */
    void awaitCount(int count) {
      awaitTrue("the count is " + count, () -> state().consecutiveFailures() == count);
    }

    private SubscriptionHealthWorkflow newStub() {
      WorkflowOptions options =
          WorkflowOptions.newBuilder(SubscriptionHealthWorkflows.options(SUBSCRIPTION_ID, TENANT_ID))
              .setTaskQueue(worker.getTaskQueue())
              .build();
      return client.newWorkflowStub(SubscriptionHealthWorkflow.class, options);
    }
  }

  /** A failed attempt under {@code disableAfter: {failures, seconds}}. */
  static AttemptReport failure(
      String attemptId, long atMillis, Integer statusCode, int failures, int seconds) {
    return new AttemptReport(
        attemptId, "dlv_" + attemptId, atMillis, statusCode, statusCode == null ? "timeout" : null,
        failures, seconds);
  }

  static AttemptReport success(String attemptId, long atMillis) {
    return new AttemptReport(attemptId, "dlv_" + attemptId, atMillis, 204, null, 20, DAY);
  }

  /** Polls until {@code condition} holds, failing after a real-time deadline. */
  static void awaitTrue(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        // Not tighter: the test server can lose a race between a query and a continue-as-new,
        // and then waits out a 10 s workflow task timeout.
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + what, e);
      }
    }
  }
}
