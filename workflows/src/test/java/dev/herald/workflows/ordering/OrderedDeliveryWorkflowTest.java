package dev.herald.workflows.ordering;

import static dev.herald.workflows.ordering.KeyBacklog.KEY;
import static dev.herald.workflows.ordering.KeyBacklog.SUBSCRIPTION_ID;
import static dev.herald.workflows.ordering.KeyBacklog.TENANT_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.model.DeliveryStatus;
import dev.herald.workflows.ordering.KeyBacklog.Seen;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sequencer of one ordered key on a time-skipping test server, running the real delivery
 * workflow as its children against a fake store of the key's deliveries.
 */
@Timeout(30)
class OrderedDeliveryWorkflowTest {

  private static final List<Integer> SCHEDULE = List.of(1, 1);

  @RegisterExtension static final TestWorkflowExtension temporal = OrderedTesting.extension();

  @Test
  void deliveriesGoOneAfterAnotherInPositionOrderWhateverOrderTheWakesCameIn(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    KeyBacklog backlog = new KeyBacklog(env, SCHEDULE);
    // Committed in position order; the handoffs' signals come in any order, and late.
    backlog.add(5).add(2).add(4).add(1).add(3);
    // Every first attempt fails once, so each delivery takes a retry before the next may start.
    backlog.succeedsWhen((id, n) -> n == 2);
    AtomicBoolean moreCommitted = new AtomicBoolean();
    backlog.afterAttempt(s -> {
      if (s.deliveryId().equals("dlv_2") && moreCommitted.compareAndSet(false, true)) {
        // Published while the key is busy: no wake at all, found by the sequencer's next look.
        backlog.add(7).add(6);
      }
    });
    worker.registerActivitiesImplementations(backlog);
    env.start();

    OrderedInput input = OrderedInput.of(TENANT_ID, SUBSCRIPTION_ID, KEY);
    wake(client, worker, input); // as for the publish of position 5
    wake(client, worker, input); // 2
    wake(client, worker, input); // 4
    awaitEnd(client, input);

    assertThat(backlog.firstAttempts())
        .containsExactly("dlv_1", "dlv_2", "dlv_3", "dlv_4", "dlv_5", "dlv_6", "dlv_7");
    assertEachStartsAfterThePreviousEnded(backlog.seen());
    assertThat(backlog.seen()).hasSize(14);
    OrderedProgress progress = progress(client, input);
    assertThat(progress.state()).isEqualTo(OrderedProgress.IDLE);
    assertThat(progress.delivered()).isEqualTo(7);

    // The next publish starts it again.
    backlog.add(8);
    wake(client, worker, input);
    awaitEnd(client, input);
    assertThat(backlog.firstAttempts()).endsWith("dlv_7", "dlv_8");
    assertThat(backlog.status("dlv_8")).isEqualTo(DeliveryStatus.SUCCEEDED);
  }

  @Test
  void aDeliveryThatFailsForGoodIsFollowedByTheNextOnceItsLastAttemptEnded(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    KeyBacklog backlog = new KeyBacklog(env, SCHEDULE);
    backlog.add(1).add(2).add(3);
    backlog.succeedsWhen((id, n) -> !id.equals("dlv_2"));
    worker.registerActivitiesImplementations(backlog);
    env.start();

    OrderedInput input = OrderedInput.of(TENANT_ID, SUBSCRIPTION_ID, KEY);
    wake(client, worker, input);
    awaitEnd(client, input);

    List<Seen> seen = backlog.seen();
    assertThat(seen).extracting(s -> s.deliveryId() + "#" + s.attempt())
        .containsExactly("dlv_1#1", "dlv_2#1", "dlv_2#2", "dlv_2#3", "dlv_3#1");
    assertThat(backlog.status("dlv_2")).isEqualTo(DeliveryStatus.FAILED);
    assertThat(backlog.status("dlv_3")).isEqualTo(DeliveryStatus.SUCCEEDED);
    // dlv_2's schedule is [1, 1] seconds of workflow time: its third attempt is 2 s after its
    // first, and dlv_3 starts only after it.
    assertThat(seen.get(3).atMillis() - seen.get(1).atMillis()).isGreaterThanOrEqualTo(1800);
    assertThat(seen.get(4).atMillis()).isGreaterThanOrEqualTo(seen.get(3).atMillis());
    assertThat(progress(client, input).delivered()).isEqualTo(3);
  }

  @Test
  void aHeldDeliveryHoldsItsKeyUntilItIsReleased(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    KeyBacklog backlog = new KeyBacklog(env, SCHEDULE);
    backlog.add(1).add(2, DeliveryStatus.HELD).add(3);
    worker.registerActivitiesImplementations(backlog);
    env.start();

    OrderedInput input = OrderedInput.of(TENANT_ID, SUBSCRIPTION_ID, KEY);
    wake(client, worker, input);
    awaitEnd(client, input);
    assertThat(backlog.firstAttempts()).containsExactly("dlv_1");
    OrderedProgress held = progress(client, input);
    assertThat(held.state()).isEqualTo(OrderedProgress.HELD);
    assertThat(held.deliveryId()).isEqualTo("dlv_2");

    // The release moves it to pending and wakes the key.
    backlog.set("dlv_2", DeliveryStatus.PENDING);
    wake(client, worker, input);
    awaitEnd(client, input);
    assertThat(backlog.firstAttempts()).containsExactly("dlv_1", "dlv_2", "dlv_3");
  }

  @Test
  void aLongKeyContinuesAsNewAndKeepsItsOrder(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    KeyBacklog backlog = new KeyBacklog(env, SCHEDULE);
    for (int p = 12; p >= 1; p--) {
      backlog.add(p);
    }
    worker.registerActivitiesImplementations(backlog);
    env.start();

    OrderedInput input = new OrderedInput(TENANT_ID, SUBSCRIPTION_ID, KEY, 5,
        OrderedInput.DEFAULT_HISTORY_LIMIT, 0);
    wake(client, worker, input);
    awaitEnd(client, input);

    assertThat(backlog.firstAttempts()).containsExactly("dlv_1", "dlv_2", "dlv_3", "dlv_4",
        "dlv_5", "dlv_6", "dlv_7", "dlv_8", "dlv_9", "dlv_10", "dlv_11", "dlv_12");
    assertThat(progress(client, input).delivered()).isEqualTo(12);
  }

  @Test
  void aStormOfWakesDuringALongRetryContinuesAsNewAndTheNextRunWaitsForTheDelivery(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) throws Exception {
    // One retry, 30 s after the first attempt.
    KeyBacklog backlog = new KeyBacklog(env, List.of(30));
    backlog.add(1).add(2);
    backlog.succeedsWhen((id, n) -> !(id.equals("dlv_1") && n == 1));
    worker.registerActivitiesImplementations(backlog);
    env.start();

    OrderedInput input = new OrderedInput(TENANT_ID, SUBSCRIPTION_ID, KEY, 100, 60, 0);
    WorkflowExecution firstRun = wake(client, worker, input);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (backlog.seen().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    for (int i = 0; i < 40; i++) {
      wake(client, worker, input);
    }
    awaitEnd(client, input);

    assertThat(backlog.seen()).extracting(s -> s.deliveryId() + "#" + s.attempt())
        .containsExactly("dlv_1#1", "dlv_1#2", "dlv_2#1");
    assertThat(status(client, firstRun))
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW);
  }

  @Test
  void aDeliveryCancelledWhileItWaitsItsTurnIsSkipped(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    KeyBacklog backlog = new KeyBacklog(env, SCHEDULE);
    backlog.add(1).add(2).add(3);
    backlog.afterAttempt(s -> {
      if (s.deliveryId().equals("dlv_1")) {
        backlog.set("dlv_2", DeliveryStatus.CANCELLED);
      }
    });
    worker.registerActivitiesImplementations(backlog);
    env.start();

    OrderedInput input = OrderedInput.of(TENANT_ID, SUBSCRIPTION_ID, KEY);
    wake(client, worker, input);
    awaitEnd(client, input);

    assertThat(backlog.firstAttempts()).containsExactly("dlv_1", "dlv_3");
  }

  /** Each delivery's first attempt comes after the previous delivery's last attempt. */
  private static void assertEachStartsAfterThePreviousEnded(List<Seen> seen) {
    String current = null;
    for (Seen s : seen) {
      if (s.attempt() == 1) {
        if (current != null) {
          String previous = current;
          assertThat(seen.stream().filter(o -> o.deliveryId().equals(previous)).toList())
              .as("%s ended before %s started", previous, s.deliveryId())
              .anySatisfy(o -> assertThat(o.succeeded()).isTrue());
        }
        current = s.deliveryId();
      } else {
        assertThat(s.deliveryId()).as("a retry belongs to the delivery in progress").isEqualTo(current);
      }
    }
  }

  private static WorkflowExecution wake(WorkflowClient client, Worker worker, OrderedInput input) {
    return OrderedTesting.wake(client, worker, input);
  }

  private static void awaitEnd(WorkflowClient client, OrderedInput input) {
    String id = OrderedDeliveryWorkflows.workflowId(input.subscriptionId(), input.key());
    client.newUntypedWorkflowStub(id).getResult(Void.class);
    assertThat(status(client, WorkflowExecution.newBuilder().setWorkflowId(id).build()))
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
  }

  private static WorkflowExecutionStatus status(WorkflowClient client, WorkflowExecution run) {
    return client.getWorkflowServiceStubs().blockingStub()
        .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace(client.getOptions().getNamespace())
            .setExecution(run)
            .build())
        .getWorkflowExecutionInfo().getStatus();
  }

  private static OrderedProgress progress(WorkflowClient client, OrderedInput input) {
    return client.newWorkflowStub(OrderedDeliveryWorkflow.class,
            OrderedDeliveryWorkflows.workflowId(input.subscriptionId(), input.key()))
        .progress();
  }
}
