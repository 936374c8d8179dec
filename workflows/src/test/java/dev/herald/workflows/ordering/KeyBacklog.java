package dev.herald.workflows.ordering;

import dev.herald.model.DeliveryInput;
import dev.herald.model.DeliveryStatus;
import dev.herald.workflows.delivery.AttemptOutcome;
import dev.herald.workflows.delivery.AttemptRequest;
import dev.herald.workflows.delivery.AttemptResult;
import dev.herald.workflows.delivery.CancelRequest;
import dev.herald.workflows.delivery.DeliveryActivities;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * A fake PostgreSQL for one ordered key: its deliveries with their feed positions and statuses,
 * behind both the sequencer's look ({@code nextOrdered}) and the deliveries' attempts, which
 * succeed or fail as the test says. Every attempt is remembered with the workflow clock.
 */
final class KeyBacklog implements OrderingActivities, DeliveryActivities {

  static final String TENANT_ID = "ten_test";
  static final String SUBSCRIPTION_ID = "sub_test";
  static final String KEY = "acct_42";

  /** One attempt as the endpoint saw it. */
  record Seen(String deliveryId, int attempt, long atMillis, boolean succeeded) {}

  private final TestWorkflowEnvironment env;
  private final List<Integer> schedule;
  private final Map<String, DeliveryStatus> status = new ConcurrentHashMap<>();
  private final Map<String, Long> positions = new ConcurrentHashMap<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final List<String> looks = new CopyOnWriteArrayList<>();
  private volatile BiPredicate<String, Integer> succeeds = (id, n) -> true;
  private volatile Consumer<Seen> afterAttempt = s -> {};

  KeyBacklog(TestWorkflowEnvironment env, List<Integer> schedule) {
    this.env = env;
    this.schedule = List.copyOf(schedule);
  }

  /** Commits a delivery at feed position {@code position}: {@code dlv_<position>}. */
  KeyBacklog add(long position, DeliveryStatus initial) {
    String id = "dlv_" + position;
    status.put(id, initial);
    positions.put(id, position);
    return this;
  }

  KeyBacklog add(long position) {
    return add(position, DeliveryStatus.PENDING);
  }

  /** Which attempts succeed: {@code (deliveryId, attemptNumber)}. */
  KeyBacklog succeedsWhen(BiPredicate<String, Integer> rule) {
    this.succeeds = rule;
    return this;
  }

  /** Runs after each attempt is recorded, before it answers. */
  KeyBacklog afterAttempt(Consumer<Seen> hook) {
    this.afterAttempt = hook;
    return this;
  }

  void set(String deliveryId, DeliveryStatus to) {
    status.put(deliveryId, to);
  }

  DeliveryStatus status(String deliveryId) {
    return status.get(deliveryId);
  }

  List<Seen> seen() {
    return List.copyOf(seen);
  }

  /** The deliveries whose first attempt was made, in the order it was made. */
  List<String> firstAttempts() {
    return seen.stream().filter(s -> s.attempt() == 1).map(Seen::deliveryId).toList();
  }

  int looks() {
    return looks.size();
  }

  static DeliveryInput input(String deliveryId, List<Integer> schedule) {
    return new DeliveryInput(deliveryId, TENANT_ID, SUBSCRIPTION_ID, "order.paid",
        "https://example.com/hook", schedule, 1, 0, KEY);
  }

  @Override
  public NextDelivery nextOrdered(NextRequest request) {
    looks.add(request.key());
    List<Map.Entry<String, Long>> unfinished = new ArrayList<>();
    for (Map.Entry<String, Long> e : positions.entrySet()) {
      if (!status.get(e.getKey()).isFinished()) {
        unfinished.add(e);
      }
    }
    return unfinished.stream()
        .min(Comparator.comparingLong(Map.Entry::getValue))
        .map(e -> new NextDelivery(input(e.getKey(), schedule),
            status.get(e.getKey()) == DeliveryStatus.HELD, e.getValue()))
        .orElse(NextDelivery.none());
  }

  @Override
  public AttemptResult attempt(AttemptRequest request) {
    String id = request.deliveryId();
    int n = request.attemptNumber();
    boolean ok = succeeds.test(id, n);
    Seen s = new Seen(id, n, env.currentTimeMillis(), ok);
    seen.add(s);
    if (ok) {
      status.put(id, DeliveryStatus.SUCCEEDED);
    } else {
      status.put(id, request.retryDelaySeconds() == null
          ? DeliveryStatus.FAILED : DeliveryStatus.RETRYING);
    }
    afterAttempt.accept(s);
    return ok
        ? new AttemptResult(AttemptOutcome.SUCCEEDED, 204, null, 20, null, "HTTP 204 in 20 ms")
        : new AttemptResult(AttemptOutcome.FAILED, 503, null, 20, request.retryDelaySeconds(),
            "HTTP 503 in 20 ms");
  }

  @Override
  public void cancel(CancelRequest request) {
    status.computeIfPresent(request.deliveryId(),
        (id, now) -> now.isFinished() ? now : DeliveryStatus.CANCELLED);
  }
}
