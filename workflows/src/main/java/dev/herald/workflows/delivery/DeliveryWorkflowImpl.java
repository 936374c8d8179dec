package dev.herald.workflows.delivery;

import dev.herald.model.DeliveryInput;
import dev.herald.model.DeliveryStatus;
import dev.herald.workflows.schedule.RetrySchedule;
import dev.herald.workflows.temporal.HeraldSearchAttributes;
import dev.herald.workflows.temporal.InfrastructureRetry;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.SearchAttributeUpdate;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The delivery loop: one {@code attempt} local activity per attempt, a durable timer between
 * attempts, signals to cut the wait short or cancel, search attributes and current details for the
 * Temporal UI. Pure orchestration: everything that touches the world is in {@link
 * DeliveryActivities}.
 */
public class DeliveryWorkflowImpl implements DeliveryWorkflow {

  private static final Logger log = Workflow.getLogger(DeliveryWorkflowImpl.class);

  // No maximum attempts: the attempt is idempotent per attempt number, so an infrastructure error
  // (database down, worker lost) is retried until it clears instead of losing the delivery.
  private static final RetryOptions INFRASTRUCTURE_RETRY = InfrastructureRetry.OPTIONS;

  /**
   * How long one attempt activity may run before Temporal gives it to another worker: the
   * longest HTTP deadline (30 s, name lookup included) and the recording around it. A task lost
   * with a crashed server or worker is retried after this, so it is kept short (attempts are
   * idempotent by number: a retry answers from the record when the attempt was recorded).
   */
  static final Duration ATTEMPT_START_TO_CLOSE = Duration.ofSeconds(45);

  /**
   * The attempt activity beats once a second; a worker that died mid-attempt has its attempt
   * given to another worker after this, not after {@link #ATTEMPT_START_TO_CLOSE}.
   */
  static final Duration ATTEMPT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * The change after which a run started past its last attempt makes one more instead of failing
   * with none; asked only on that path, so that other histories carry no marker.
   */
  static final String AT_LEAST_ONE_ATTEMPT = "at-least-one-attempt";

  /**
   * The change after which an attempt is a local activity: it runs in the worker that holds the
   * workflow task and is recorded as a marker with that task's completion, instead of going
   * through the server's activity queue (three events and a task dispatch fewer per attempt; on
   * the dev server this is what let Herald keep up with bare Temporal). Runs recorded before it
   * replay their attempts as activity tasks.
   */
  static final String LOCAL_ATTEMPTS = "local-attempts";

  /**
   * The change after which a wait for a slot that a {@code slotFree} wake cuts short leaves its
   * timer to fire into nothing, instead of cancelling it (see {@link #sleepUnlessSignalled});
   * asked only on that path, so that other histories carry no marker.
   */
  static final String WOKEN_WAIT_KEEPS_TIMER = "woken-wait-keeps-timer";

  private DeliveryInput input;
  private DeliveryStatus status = DeliveryStatus.PENDING;
  private int attemptsMade;
  private int maxAttempts;
  private Long nextAttemptAtMillis;
  private String lastAttempt;
  private boolean retryNowRequested;
  private boolean cancelRequested;
  private boolean slotFree;
  private boolean localAttempts;

  // What the search attributes say now: the starter set pending/firstAttempt-1, and only a
  // change is upserted, so that a first-attempt success costs a single upsert event.
  private DeliveryStatus publishedStatus = DeliveryStatus.PENDING;
  private long publishedAttempts;

  @Override
  public void deliver(DeliveryInput input) {
    this.input = input;
    this.maxAttempts = input.maxAttempts();
    if (input.firstAttempt() > maxAttempts
        && Workflow.getVersion(AT_LEAST_ONE_ATTEMPT, Workflow.DEFAULT_VERSION, 1) >= 1) {
      // Started past its schedule's end (the schedule was shortened since its attempts were
      // made): this run makes one attempt, as a retry by hand does, rather than none.
      this.maxAttempts = input.firstAttempt();
    }
    this.attemptsMade = input.firstAttempt() - 1;
    this.publishedAttempts = attemptsMade;
    this.localAttempts =
        Workflow.getVersion(LOCAL_ATTEMPTS, Workflow.DEFAULT_VERSION, 1) >= 1;
    try {
      runSchedule();
    } catch (CanceledFailure e) {
      recordWorkflowCancelled();
      throw e;
    } catch (ActivityFailure e) {
      // An attempt in flight when the workflow was cancelled fails with a CanceledFailure cause.
      if (!(e.getCause() instanceof CanceledFailure canceled)) {
        throw e;
      }
      recordWorkflowCancelled();
      throw canceled;
    }
  }

  @Override
  public void retryNow() {
    retryNowRequested = true;
  }

  @Override
  public void slotFree() {
    slotFree = true;
  }

  @Override
  public void cancel() {
    cancelRequested = true;
  }

  @Override
  public DeliveryProgress status() {
    return new DeliveryProgress(
        status.wireName(), attemptsMade, maxAttempts, nextAttemptAtMillis, lastAttempt);
  }

  private void runSchedule() {
    // One replay-safe seeded sequence for every wait of this run.
    Random random = Workflow.newRandom();
    for (int n = input.firstAttempt(); n <= maxAttempts; n++) {
      if (cancelRequested) {
        cancelBySignal();
        return;
      }
      // A retryNow that arrived while no timer ran is answered by this very attempt.
      retryNowRequested = false;
      // No wait is planned after the last attempt; the schedule's own last step has none anyway,
      // so a run that follows its schedule draws the same random numbers as ever.
      Integer planned =
          n < maxAttempts ? RetrySchedule.jitteredDelay(input.retrySchedule(), n, random) : null;
      AttemptResult result = attemptWhenAdmitted(n, planned, random);
      if (result == null) {
        cancelBySignal();
        return;
      }
      lastAttempt = AttemptDescriptions.describe(result);
      switch (result.outcome()) {
        case SUCCEEDED -> {
          attemptsMade = n;
          settle(DeliveryStatus.SUCCEEDED, ended(n, "succeeded"));
          return;
        }
        // Held and cancelled attempts sent nothing, so they do not count as attempts made.
        case HELD -> {
          settle(DeliveryStatus.HELD, ended(n, "held"));
          return;
        }
        case CANCELLED -> {
          settle(DeliveryStatus.CANCELLED, ended(n, "cancelled"));
          return;
        }
        case UNSENDABLE -> {
          attemptsMade = n;
          settle(DeliveryStatus.FAILED, AttemptDescriptions.unsendable(n, maxAttempts, lastAttempt));
          throw ApplicationFailure.newNonRetryableFailure(
              "attempt " + n + " could not be built: " + lastAttempt, DeliveryWorkflow.UNSENDABLE);
        }
        case WAIT -> throw new IllegalStateException("a wait is answered before this");
        case FAILED, GONE -> {
          attemptsMade = n;
          Integer delay = n < maxAttempts ? result.nextDelaySeconds() : null;
          if (delay == null) {
            settle(
                DeliveryStatus.FAILED, AttemptDescriptions.exhausted(n, maxAttempts, lastAttempt));
            throw ApplicationFailure.newNonRetryableFailure(
                attemptsMade + " attempts failed; last: " + lastAttempt, EXHAUSTED);
          }
          nextAttemptAtMillis = Workflow.currentTimeMillis() + delay * 1000L;
          settle(
              DeliveryStatus.RETRYING,
              AttemptDescriptions.retrying(n, maxAttempts, lastAttempt, nextAttemptAtMillis));
          waitBeforeAttempt(n + 1, delay);
          nextAttemptAtMillis = null;
        }
      }
    }
    // Only reached by a run recorded before AT_LEAST_ONE_ATTEMPT that had no attempt left to make.
    settle(DeliveryStatus.FAILED, "no attempts left after " + attemptsMade + " of " + maxAttempts);
    throw ApplicationFailure.newNonRetryableFailure(
        "no attempts left: " + attemptsMade + " of " + maxAttempts + " made", EXHAUSTED);
  }

  /**
   * Makes attempt {@code n} once the endpoint's limits admit it. Each {@link AttemptOutcome#WAIT}
   * is waited out on a durable timer and the same attempt asked again: a wait is not an attempt
   * and uses none of the schedule. The current details say why it waits. A wait for a slot
   * ({@code maxConcurrency}, this worker's share) asks again when a {@code slotFree} wake comes,
   * or on its own after the activity's wait (5 s) or the poll backoff (0.5 s doubling to a
   * minute, jittered), whichever is longer; a reserved rate-limit start is waited for exactly. A
   * very long wait continues as new so that the history stays bounded.
   *
   * @return the attempt's result, or {@code null} when a cancel signal ended the wait
   */
  private AttemptResult attemptWhenAdmitted(int n, Integer planned, Random random) {
    boolean reserved = false;
    int polls = 0;
    while (true) {
      // Cleared before asking, not before waiting: a wake sent while the attempt was told to
      // wait (it arrives with the activity's result) must still cut the wait short.
      slotFree = false;
      AttemptResult result =
          attempt(new AttemptRequest(input.deliveryId(), n, maxAttempts, planned, reserved));
      if (result.outcome() != AttemptOutcome.WAIT) {
        return result;
      }
      reserved = result.reserved();
      long wait = reserved ? result.waitMillis() : Math.max(result.waitMillis(), pollMillis(polls++, random));
      long until = Workflow.currentTimeMillis() + wait;
      Workflow.setCurrentDetails(AttemptDescriptions.waiting(n, maxAttempts, result.summary(), until));
      if (!waitForEndpoint(n, wait, result.summary())) {
        return null;
      }
      if (retryNowRequested) {
        // Asked early: a reservation made for later no longer holds.
        retryNowRequested = false;
        reserved = false;
      }
      if (Workflow.getInfo().isContinueAsNewSuggested()
          || Workflow.getInfo().getHistoryLength() > CONTINUE_AS_NEW_AFTER_EVENTS) {
        Workflow.continueAsNew(new DeliveryInput(input.deliveryId(), input.tenantId(),
            input.subscriptionId(), input.eventType(), input.url(), input.retrySchedule(), n,
            maxAttempts, input.orderingKey()));
      }
    }
  }

  /** A waiting delivery's history length past which it continues as new. */
  static final int CONTINUE_AS_NEW_AFTER_EVENTS = 10_000;

  /** The wait before asking for a slot again, the {@code polls}-th time in a row. */
  static long pollMillis(int polls, Random random) {
    long base = Math.min(60_000L, 500L << Math.min(polls, 7));
    return (long) (base * (0.8 + 0.4 * random.nextDouble()));
  }

  /**
   * Waits {@code millis} for the endpoint; a retryNow signal cuts it short.
   *
   * @return false when a cancel signal ended it
   */
  private boolean waitForEndpoint(int attempt, long millis, String why) {
    sleepUnlessSignalled(Duration.ofMillis(Math.max(1, millis)),
        "wait for the endpoint before attempt " + attempt + ": " + why, () -> slotFree);
    return !cancelRequested;
  }

  private String ended(int attempt, String verb) {
    return AttemptDescriptions.ended(attempt, maxAttempts, verb, lastAttempt);
  }

  /** Waits out the backoff; a retryNow or cancel signal cuts it short. */
  private void waitBeforeAttempt(int nextAttempt, int delaySeconds) {
    sleepUnlessSignalled(Duration.ofSeconds(delaySeconds),
        "backoff before attempt " + nextAttempt + " (" + delaySeconds + " s)", () -> false);
  }

  /**
   * A durable timer with this summary in the UI; a retryNow or cancel signal cuts it short, and
   * so does {@code alsoWhen}.
   *
   * <p>Cut short by a signal, the timer is cancelled, so that it does not fire later. Cut short by
   * {@code alsoWhen} alone (a slot wait's wake, many a second when a burst of deliveries shares
   * one endpoint), it is left to fire into nothing: each wait awaits its own timer, and a
   * delivery nearly always ends before a slot wait's look (5 s to a minute) is due. The
   * time-skipping test server refuses a workflow task that cancels a timer which fired while the
   * task was at the worker, and never sends that task again (temporalio/sdk-java#3088): a woken
   * attempt slow enough under load stranded its delivery on {@code herald dev}'s in-memory
   * fallback.
   */
  private void sleepUnlessSignalled(Duration duration, String summary, Supplier<Boolean> alsoWhen) {
    List<Promise<Void>> timer = new ArrayList<>(1);
    TimerOptions options = TimerOptions.newBuilder().setSummary(summary).build();
    CancellationScope scope =
        Workflow.newCancellationScope(() -> timer.add(Workflow.newTimer(duration, options)));
    scope.run();
    Promise<Void> fired = timer.get(0);
    Workflow.await(
        () -> fired.isCompleted() || retryNowRequested || cancelRequested || alsoWhen.get());
    if (fired.isCompleted()) {
      // Throws CanceledFailure when the whole workflow was cancelled during the wait.
      fired.get();
    } else if (retryNowRequested || cancelRequested
        || Workflow.getVersion(WOKEN_WAIT_KEEPS_TIMER, Workflow.DEFAULT_VERSION, 1)
            == Workflow.DEFAULT_VERSION) {
      scope.cancel();
    }
    CancellationScope.throwCanceled();
  }

  private void cancelBySignal() {
    log.info("delivery {} cancelled by signal", input.deliveryId());
    cancelStub("signal").cancel(new CancelRequest(input.deliveryId(), "signal"));
    nextAttemptAtMillis = null;
    settle(DeliveryStatus.CANCELLED, "cancelled by signal after " + attemptsMade + " attempt(s)");
  }

  private void recordWorkflowCancelled() {
    log.info("delivery {} cancelled with its workflow", input.deliveryId());
    // Detached: the workflow's own scope is cancelled, so a plain activity call would fail at once.
    Workflow.newDetachedCancellationScope(
            () ->
                cancelStub("workflow_cancelled")
                    .cancel(new CancelRequest(input.deliveryId(), "workflow_cancelled")))
        .run();
    nextAttemptAtMillis = null;
    settle(
        DeliveryStatus.CANCELLED,
        "cancelled with the workflow after " + attemptsMade + " attempt(s)");
  }

  /** Moves to a status, shows it in the UI, and upserts the search attributes that changed. */
  private void settle(DeliveryStatus newStatus, String details) {
    status = newStatus;
    Workflow.setCurrentDetails(details);
    List<SearchAttributeUpdate<?>> updates = new ArrayList<>(2);
    if (!status.equals(publishedStatus)) {
      updates.add(HeraldSearchAttributes.DELIVERY_STATUS.valueSet(status.wireName()));
      publishedStatus = status;
    }
    if (attemptsMade != publishedAttempts) {
      updates.add(HeraldSearchAttributes.ATTEMPTS.valueSet((long) attemptsMade));
      publishedAttempts = attemptsMade;
    }
    // One upsert for both: each call is a history event.
    if (!updates.isEmpty()) {
      Workflow.upsertTypedSearchAttributes(updates.toArray(SearchAttributeUpdate<?>[]::new));
    }
  }

  /**
   * Runs one attempt. A local attempt runs in a scope of its own, so that cancelling the workflow
   * meanwhile lets it finish and record itself, and the cancellation is recorded after it (what
   * {@link ActivityCancellationType#WAIT_CANCELLATION_COMPLETED} does for an activity task).
   */
  private AttemptResult attempt(AttemptRequest request) {
    if (!localAttempts) {
      return attemptStub(request.attemptNumber()).attempt(request);
    }
    List<AttemptResult> result = new ArrayList<>(1);
    Workflow.newDetachedCancellationScope(
            () -> result.add(localAttemptStub(request.attemptNumber()).attempt(request)))
        .run();
    CancellationScope.throwCanceled();
    return result.get(0);
  }

  /**
   * A local attempt: no heartbeat (a worker lost mid-attempt is noticed by its workflow task's
   * timeout, 10 s, and the attempt made again elsewhere: attempts are idempotent by number).
   */
  private DeliveryActivities localAttemptStub(int attempt) {
    return Workflow.newLocalActivityStub(
        DeliveryActivities.class,
        LocalActivityOptions.newBuilder()
            .setSummary("attempt " + attempt + " of " + maxAttempts)
            .setStartToCloseTimeout(ATTEMPT_START_TO_CLOSE)
            .setRetryOptions(INFRASTRUCTURE_RETRY)
            .build());
  }

  /** An attempt of a run recorded before {@link #LOCAL_ATTEMPTS}: an activity task. */
  private DeliveryActivities attemptStub(int attempt) {
    return Workflow.newActivityStub(
        DeliveryActivities.class,
        baseOptions()
            .setSummary("attempt " + attempt + " of " + maxAttempts)
            .setStartToCloseTimeout(ATTEMPT_START_TO_CLOSE)
            .setHeartbeatTimeout(ATTEMPT_HEARTBEAT_TIMEOUT)
            // An attempt in flight when the workflow is cancelled finishes and records itself
            // before the cancellation is recorded, so the cancelled status is the last word.
            .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
            .build());
  }

  private DeliveryActivities cancelStub(String reason) {
    return Workflow.newActivityStub(
        DeliveryActivities.class,
        baseOptions().setSummary("record cancelled (" + reason + ")").build());
  }

  private static ActivityOptions.Builder baseOptions() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setRetryOptions(INFRASTRUCTURE_RETRY);
  }
}
