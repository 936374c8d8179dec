package dev.herald.workflows.health;

import io.temporal.testing.TestWorkflowEnvironment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake behind the health activities: remembers every disable and every notice with the
 * workflow clock at its arrival, and answers disable as told (true unless the subscription is
 * said to be inactive already).
 */
final class OwnerDesk implements HealthActivities {

  /** One activity call as it arrived. */
  record Call(String method, OwnerNotice notice, long atMillis) {}

  private final TestWorkflowEnvironment env;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private volatile boolean alreadyInactive;

  OwnerDesk(TestWorkflowEnvironment env) {
    this.env = env;
  }

  /** From now on, disable finds the subscription inactive and answers false. */
  OwnerDesk alreadyInactive() {
    alreadyInactive = true;
    return this;
  }

  @Override
  public boolean disable(OwnerNotice notice) {
    calls.add(new Call("disable", notice, env.currentTimeMillis()));
    return !alreadyInactive;
  }

  @Override
  public void notifyOwner(OwnerNotice notice) {
    calls.add(new Call("notifyOwner", notice, env.currentTimeMillis()));
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  List<OwnerNotice> disables() {
    return calls.stream().filter(c -> c.method().equals("disable")).map(Call::notice).toList();
  }

  /** The notices sent to the owner, of either type, in order. */
  List<OwnerNotice> notices() {
    return calls.stream().filter(c -> c.method().equals("notifyOwner")).map(Call::notice).toList();
  }

  List<OwnerNotice> notices(String type) {
    return notices().stream().filter(n -> n.type().equals(type)).toList();
  }
}
