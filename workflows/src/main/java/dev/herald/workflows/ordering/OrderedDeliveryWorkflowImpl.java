package dev.herald.workflows.ordering;

import dev.herald.model.DeliveryInput;
import dev.herald.workflows.delivery.CancelRequest;
import dev.herald.workflows.delivery.DeliveryActivities;
import dev.herald.workflows.delivery.DeliveryWorkflow;
import dev.herald.workflows.delivery.DeliveryWorkflows;
import dev.herald.workflows.temporal.InfrastructureRetry;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TerminatedFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * The sequencer loop: ask PostgreSQL for the key's next delivery ({@code nextOrdered}), run its
 * {@code DeliveryWorkflow} as a child and wait for it to end, ask again. Ends when the key has
 * nothing left or its next delivery is held, unless a {@code wake} arrived since the last look.
 * Pure orchestration.
 */
public class OrderedDeliveryWorkflowImpl implements OrderedDeliveryWorkflow {

  private static final Logger log = Workflow.getLogger(OrderedDeliveryWorkflowImpl.class);

  /**
   * The first wait before a delivery that is still unfinished after its child ended is run
   * again; it doubles up to {@link #LONGEST_RECHECK}. It happens when the delivery's workflow was
   * already running outside this run (an earlier sequencer was terminated while its child ran),
   * so the child could not start.
   */
  static final Duration FIRST_RECHECK = Duration.ofSeconds(5);

  static final Duration LONGEST_RECHECK = Duration.ofMinutes(5);

  private boolean woken;
  private String state = OrderedProgress.LOOKING;
  private long delivered;
  private String deliveryId;
  private long position;

  @Override
  public void run(OrderedInput input) {
    delivered = input.deliveredSoFar();
    OrderingActivities activities = activities();
    NextRequest request = new NextRequest(input.subscriptionId(), input.key());
    String lastRun = null;
    boolean waited = false;
    int rechecks = 0;
    for (int thisRun = 0; ; ) {
      // A wake from here on asks for another look; one before it is answered by this look.
      woken = false;
      state = OrderedProgress.LOOKING;
      NextDelivery next = activities.nextOrdered(request);
      if (next.nothingLeft() || next.held()) {
        if (woken) {
          continue;
        }
        end(next);
        return;
      }
      String id = next.delivery().deliveryId();
      if (id.equals(lastRun) && !waited) {
        // Its workflow ended and it is still unfinished: it ran outside this sequencer. Wait,
        // then look again rather than start it at once.
        rechecks++;
        Duration wait = recheckAfter(rechecks);
        Workflow.setCurrentDetails("waiting for " + id + " (position " + next.position()
            + "), whose workflow runs elsewhere; looking again in " + wait.toSeconds() + " s");
        Workflow.newTimer(wait, TimerOptions.newBuilder()
                .setSummary("wait for " + id + " to end").build())
            .get();
        waited = true;
        continue;
      }
      if (!id.equals(lastRun)) {
        rechecks = 0;
      }
      if (Workflow.getInfo().getHistoryLength() > input.historyLimit()) {
        // Rechecks and wakes filled this run: the next one starts this delivery afresh.
        Workflow.continueAsNew(input.continued(delivered));
      }
      waited = false;
      lastRun = id;
      deliver(next, input);
      thisRun++;
      if (thisRun >= input.deliveriesPerRun() || Workflow.getInfo().isContinueAsNewSuggested()) {
        Workflow.continueAsNew(input.continued(delivered));
      }
    }
  }

  /**
   * Runs the delivery's own workflow as a child and waits until it ends, however it ends. Should
   * the history pass {@link OrderedInput#historyLimit()} meanwhile (wakes pile up while a delivery
   * retries for hours), the run continues as new and leaves the child running: the next run finds
   * it unfinished and waits for it.
   */
  private void deliver(NextDelivery next, OrderedInput run) {
    DeliveryInput input = next.delivery();
    state = OrderedProgress.DELIVERING;
    deliveryId = input.deliveryId();
    position = next.position();
    Workflow.setCurrentDetails("delivering " + deliveryId + " (position " + position + "); "
        + delivered + " delivered before it");
    DeliveryWorkflow child =
        Workflow.newChildWorkflowStub(DeliveryWorkflow.class, DeliveryWorkflows.childOptions(input));
    Promise<Void> ended = Async.procedure(child::deliver, input);
    try {
      // Started (or refused because it runs elsewhere, which throws here).
      Workflow.getWorkflowExecution(child).get();
      Workflow.await(() -> ended.isCompleted()
          || Workflow.getInfo().getHistoryLength() > run.historyLimit());
      if (!ended.isCompleted()) {
        log.info("history past {} events while {} runs: continuing as new", run.historyLimit(),
            deliveryId);
        Workflow.continueAsNew(run.continued(delivered));
      }
      ended.get();
    } catch (ChildWorkflowFailure e) {
      if (ended.isCompleted()) {
        // A start refused fails the result too: read, so that it is not reported as ignored.
        ended.getFailure();
      }
      if (e.getCause() instanceof TerminatedFailure) {
        // As the sweeper does for a terminated delivery: it ends cancelled, never restarted.
        cancelStub().cancel(new CancelRequest(deliveryId, "workflow_terminated"));
      } else {
        // Failed (schedule exhausted, unsendable): it has ended, and the key goes on. Or it
        // could not start because it runs elsewhere: the next look finds it unfinished.
        log.info("delivery {} of the key ended: {}", deliveryId, e.getCause() == null
            ? e.getMessage() : e.getCause().getMessage());
      }
    }
    delivered++;
  }

  private void end(NextDelivery next) {
    if (next.held()) {
      state = OrderedProgress.HELD;
      deliveryId = next.delivery().deliveryId();
      position = next.position();
      Workflow.setCurrentDetails("held: " + deliveryId + " (position " + position + ") waits for"
          + " its subscription to be unpaused or re-enabled, and the key with it; "
          + delivered + " delivered");
    } else {
      state = OrderedProgress.IDLE;
      deliveryId = null;
      position = 0;
      Workflow.setCurrentDetails("idle: nothing left to deliver; " + delivered + " delivered");
    }
  }

  static Duration recheckAfter(int rechecks) {
    long seconds = FIRST_RECHECK.toSeconds() << Math.min(rechecks - 1, 10);
    return Duration.ofSeconds(Math.min(seconds, LONGEST_RECHECK.toSeconds()));
  }

  @Override
  public void wake() {
    woken = true;
  }

  @Override
  public OrderedProgress progress() {
    return new OrderedProgress(state, delivered, deliveryId, position);
  }

  private static OrderingActivities activities() {
    return stub(OrderingActivities.class, "next delivery of the key");
  }

  private static DeliveryActivities cancelStub() {
    return stub(DeliveryActivities.class, "record cancelled (workflow_terminated)");
  }

  private static <T> T stub(Class<T> activities, String summary) {
    return Workflow.newActivityStub(activities, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setRetryOptions(InfrastructureRetry.OPTIONS)
        .setSummary(summary)
        .build());
  }
}
