package dev.herald.workflows.batch;

import dev.herald.workflows.delivery.AttemptOutcome;
import dev.herald.workflows.delivery.AttemptResult;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The batch activities over an in-memory record, as PostgreSQL keeps it: gathered deliveries
 * (id, when made on the test clock, size), batches claimed idempotently by id, and every request
 * the attempts sent. Thread-safe.
 */
final class GatheringStore implements BatchActivities {

  /** One request that went out. */
  record Sent(String batchId, int attempt, List<String> deliveryIds, long atMillis) {}

  private record Gathered(String id, long createdMillis, long bytes) {}

  private final TestWorkflowEnvironment env;
  private final int maxEvents;
  private final int maxWaitSeconds;
  private final long maxBytes;
  private final List<Integer> schedule;
  private final List<Gathered> gathered = new ArrayList<>();
  private final Map<String, List<String>> batches = new LinkedHashMap<>();
  private final List<Sent> sent = new ArrayList<>();
  private IntFunction<Integer> statusOfAttempt = n -> 204;
  private final java.util.ArrayDeque<AttemptResult> waits = new java.util.ArrayDeque<>();
  private final List<BatchAttemptRequest> asked = new ArrayList<>();
  private int next = 1;

  GatheringStore(TestWorkflowEnvironment env, int maxEvents, int maxWaitSeconds, long maxBytes,
      List<Integer> schedule) {
    this.env = env;
    this.maxEvents = maxEvents;
    this.maxWaitSeconds = maxWaitSeconds;
    this.maxBytes = maxBytes;
    this.schedule = schedule;
  }

  /** Commits {@code count} batched deliveries of {@code bytes} each, made now. */
  synchronized List<String> publish(int count, long bytes) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = "dlv_" + next++;
      gathered.add(new Gathered(id, env.currentTimeMillis(), bytes));
      ids.add(id);
    }
    return ids;
  }

  /** The HTTP status the endpoint answers to attempt {@code n} of any batch. */
  synchronized void answer(IntFunction<Integer> statusOfAttempt) {
    this.statusOfAttempt = statusOfAttempt;
  }

  /** The next attempt is told to wait for its endpoint's limits, as the gate would tell it. */
  synchronized void waitNext(String reason, long waitMillis, boolean reserved) {
    waits.add(AttemptResult.waiting(reason, waitMillis, reserved));
  }

  /** Every attempt request, waits included. */
  synchronized List<BatchAttemptRequest> asked() {
    return List.copyOf(asked);
  }

  synchronized List<Sent> sent() {
    return List.copyOf(sent);
  }

  synchronized Map<String, List<String>> batches() {
    return Map.copyOf(batches);
  }

  synchronized int gatheredCount() {
    return gathered.size();
  }

  @Override
  public synchronized GatherResult look(GatherRequest request) {
    List<Gathered> window = gathered.subList(0, Math.min(maxEvents, gathered.size()));
    long bytes = window.stream().mapToLong(Gathered::bytes).sum();
    long oldest = gathered.isEmpty() ? 0 : gathered.get(0).createdMillis();
    return new GatherResult(true, window.size(), bytes, oldest, maxEvents, maxWaitSeconds, maxBytes);
  }

  @Override
  public synchronized ClaimResult claim(ClaimRequest request) {
    if (batches.containsKey(request.batchId())) {
      return new ClaimResult(batches.get(request.batchId()).size(), schedule);
    }
    List<String> taken = new ArrayList<>();
    long bytes = 0;
    while (!gathered.isEmpty() && taken.size() < maxEvents) {
      Gathered g = gathered.get(0);
      if (!taken.isEmpty() && bytes + g.bytes() > maxBytes) {
        break;
      }
      taken.add(g.id());
      bytes += g.bytes();
      gathered.remove(0);
    }
    if (taken.isEmpty()) {
      return ClaimResult.none();
    }
    batches.put(request.batchId(), List.copyOf(taken));
    return new ClaimResult(taken.size(), schedule);
  }

  @Override
  public synchronized AttemptResult attempt(BatchAttemptRequest request) {
    asked.add(request);
    if (!waits.isEmpty()) {
      return waits.poll();
    }
    sent.add(new Sent(request.batchId(), request.attemptNumber(),
        batches.get(request.batchId()), env.currentTimeMillis()));
    int status = statusOfAttempt.apply(request.attemptNumber());
    if (status < 300) {
      return new AttemptResult(AttemptOutcome.SUCCEEDED, status, null, 5, null, "HTTP " + status);
    }
    return new AttemptResult(AttemptOutcome.FAILED, status, null, 5, request.retryDelaySeconds(),
        "HTTP " + status);
  }
}
