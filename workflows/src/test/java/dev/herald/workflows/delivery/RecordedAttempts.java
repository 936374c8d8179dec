package dev.herald.workflows.delivery;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;

import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Mocked activities that answer attempts with a function and remember each request with the
 * workflow clock at the moment it arrived.
 */
final class RecordedAttempts {

  /** One attempt as the activity saw it. */
  record Seen(AttemptRequest request, long atMillis) {}

  final DeliveryActivities activities = DeliveryTesting.mockActivities();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  private RecordedAttempts() {}

  /** Registers the mock on {@code worker} and starts the environment. */
  static RecordedAttempts start(
      TestWorkflowEnvironment env, Worker worker, Function<AttemptRequest, AttemptResult> answer) {
    RecordedAttempts recorded = new RecordedAttempts();
    when(recorded.activities.attempt(any()))
        .thenAnswer(
            call -> {
              AttemptRequest request = call.getArgument(0);
              recorded.seen.add(new Seen(request, env.currentTimeMillis()));
              return answer.apply(request);
            });
    worker.registerActivitiesImplementations(recorded.activities);
    env.start();
    return recorded;
  }

  List<Seen> seen() {
    return List.copyOf(seen);
  }

  int count() {
    return seen.size();
  }

  /** Milliseconds of workflow time between attempt {@code i} and {@code i + 1} (0-based). */
  long gapAfter(int i) {
    return seen.get(i + 1).atMillis() - seen.get(i).atMillis();
  }

  /** The planned delay the workflow sent with attempt {@code i} (0-based). */
  Integer plannedAfter(int i) {
    return seen.get(i).request().retryDelaySeconds();
  }
}
