package dev.herald.core.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.flow.Admission.Admitted;
import dev.herald.core.flow.Admission.Wait;
import dev.herald.core.flow.FlowLimits.RateLimit;
import dev.herald.core.subscription.Subscription;
import dev.herald.testing.db.Store;
import dev.herald.testing.db.TestDatabaseExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** Admission of attempts under an endpoint's limits, against real PostgreSQL. */
@Timeout(60)
class EndpointFlowDaoTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @RegisterExtension static final TestDatabaseExtension db = new TestDatabaseExtension();
  private static EndpointFlowDao flow;

  @BeforeAll
  static void database() {
    flow = new EndpointFlowDao(db.jdbi());
  }

  @Test
  void maxConcurrencyAdmitsThatManyAndTheNextWhenOneIsReleased() {
    FlowLimits two = new FlowLimits(2, null);
    assertThat(flow.admit("sub_c", "dlv_1", two, 5, false, T0)).isEqualTo(new Admitted(true));
    assertThat(flow.admit("sub_c", "dlv_2", two, 5, false, T0)).isEqualTo(new Admitted(true));

    Admission third = flow.admit("sub_c", "dlv_3", two, 5, false, T0);
    assertThat(third).isInstanceOfSatisfying(Wait.class, w -> {
      assertThat(w.reason()).isEqualTo("maxConcurrency 2: 2 attempts in flight");
      assertThat(w.reserved()).isFalse();
    });
    // The same delivery asking again (its activity retried on another worker) takes its own slot.
    assertThat(flow.admit("sub_c", "dlv_1", two, 5, false, T0)).isEqualTo(new Admitted(true));
    assertThat(flow.inFlight("sub_c", T0)).isEqualTo(2);

    flow.release("dlv_1");

    assertThat(flow.admit("sub_c", "dlv_3", two, 5, false, T0)).isEqualTo(new Admitted(true));
    assertThat(flow.admit("sub_other", "dlv_4", two, 5, false, T0))
        .as("another subscription counts its own").isEqualTo(new Admitted(true));
  }

  /**
   * A freed slot wakes the longest waiter once: the claim clears its reason, so the next freed
   * slot wakes the next one rather than the same delivery again before it has asked, and a
   * delivery waiting for something else is never taken.
   */
  @Test
  void eachWakeClaimsTheNextLongestWaiterForASlotOnce() {
    Store store = new Store(db.get());
    Subscription s = store.subscription(false);
    List<String> ids = store.publish(s, 4);
    store.deliveries.markWaiting(ids.get(2), "maxConcurrency 1: 1 attempts in flight", T0.plusSeconds(1), T0);
    store.deliveries.markWaiting(ids.get(1), "maxConcurrency 1: 1 attempts in flight", T0.plusSeconds(2), T0);
    store.deliveries.markWaiting(ids.get(3), "rateLimit 5/s: its start is reserved", T0, T0);

    assertThat(flow.releaseAndFindWaiter(ids.get(0), s.id())).contains(ids.get(2));
    assertThat(flow.releaseAndFindWaiter(ids.get(0), s.id())).contains(ids.get(1));
    assertThat(flow.releaseAndFindWaiter(ids.get(0), s.id())).isEmpty();
    assertThat(store.deliveries.findById(ids.get(3)).orElseThrow().waitingReason())
        .startsWith("rateLimit");

    // Told to wait again, it is found again.
    store.deliveries.markWaiting(ids.get(2), "maxConcurrency 1: 1 attempts in flight", T0.plusSeconds(3), T0);
    assertThat(flow.findWaiter("", s.id(), "maxConcurrency ")).contains(ids.get(2));
  }

  @Test
  void aLeaseLeftByADeadWorkerExpiresAfterTheTimeoutAndTheMargin() {
    FlowLimits one = new FlowLimits(1, null);
    assertThat(flow.admit("sub_dead", "dlv_a", one, 10, false, T0)).isEqualTo(new Admitted(true));
    Instant beforeExpiry = T0.plusSeconds(10).plus(EndpointFlowDao.LEASE_MARGIN).minusMillis(1);
    assertThat(flow.admit("sub_dead", "dlv_b", one, 10, false, beforeExpiry)).isInstanceOf(Wait.class);

    Instant expired = T0.plusSeconds(10).plus(EndpointFlowDao.LEASE_MARGIN);
    assertThat(flow.admit("sub_dead", "dlv_b", one, 10, false, expired)).isEqualTo(new Admitted(true));
  }

  @Test
  void aRateLimitSpacesStartsEvenlyAndReservesThemInOrder() {
    FlowLimits tenPerSecond = new FlowLimits(null, RateLimit.perSecond(10));
    assertThat(flow.admit("sub_r", "dlv_1", tenPerSecond, 5, false, T0)).isEqualTo(new Admitted(false));
    List<Instant> reserved = new ArrayList<>();
    for (int i = 2; i <= 5; i++) {
      Admission a = flow.admit("sub_r", "dlv_" + i, tenPerSecond, 5, false, T0);
      assertThat(a).isInstanceOf(Wait.class);
      Wait w = (Wait) a;
      assertThat(w.reserved()).isTrue();
      assertThat(w.reason()).startsWith("rateLimit 10/s: its start is reserved for ");
      reserved.add(w.until());
    }
    assertThat(reserved).containsExactly(
        T0.plusMillis(100), T0.plusMillis(200), T0.plusMillis(300), T0.plusMillis(400));
    // A reserved attempt goes at its time without asking the rate limit again.
    assertThat(flow.admit("sub_r", "dlv_2", tenPerSecond, 5, true, T0.plusMillis(100)))
        .isEqualTo(new Admitted(false));
    // After a quiet spell the next start is free at once: unused time is not saved up.
    assertThat(flow.admit("sub_r", "dlv_6", tenPerSecond, 5, false, T0.plusSeconds(60)))
        .isEqualTo(new Admitted(false));
    assertThat(flow.admit("sub_r", "dlv_7", tenPerSecond, 5, false, T0.plusSeconds(60)))
        .isEqualTo(new Wait(T0.plusSeconds(60).plusMillis(100),
            "rateLimit 10/s: its start is reserved for " + T0.plusSeconds(60).plusMillis(100), true));
  }

  @Test
  void perMinuteSpacesByTheMinuteOverTheCount() {
    FlowLimits sixPerMinute = new FlowLimits(null, RateLimit.perMinute(6));
    flow.admit("sub_m", "dlv_1", sixPerMinute, 5, false, T0);
    Admission second = flow.admit("sub_m", "dlv_2", sixPerMinute, 5, false, T0);
    assertThat(((Wait) second).until()).isEqualTo(T0.plusSeconds(10));
  }

  @Test
  void aRetryAfterHoldsEveryAttemptUntilItsTimeAndALaterOneWins() {
    FlowLimits any = new FlowLimits(5, null);
    flow.backOff("sub_b", T0.plusSeconds(30));
    flow.backOff("sub_b", T0.plusSeconds(10)); // an earlier time does not shorten it

    Admission held = flow.admit("sub_b", "dlv_1", any, 5, false, T0);
    assertThat(held).isEqualTo(new Wait(T0.plusSeconds(30),
        EndpointFlowDao.backoffReason(T0.plusSeconds(30)), false));
    assertThat(flow.admit("sub_b", "dlv_1", any, 5, false, T0.plusSeconds(30)))
        .isEqualTo(new Admitted(true));
  }

  @Test
  void concurrentAdmissionsFromManyWorkersNeverExceedTheLimit() throws Exception {
    FlowLimits three = new FlowLimits(3, null);
    int callers = 16;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Admission>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < callers; i++) {
        String delivery = "dlv_race_" + i;
        Callable<Admission> admit = () -> {
          go.await();
          return flow.admit("sub_race", delivery, three, 5, false, T0);
        };
        answers.add(pool.submit(admit));
      }
      go.countDown();
      int admitted = 0;
      for (Future<Admission> f : answers) {
        if (f.get() instanceof Admitted) {
          admitted++;
        }
      }
      assertThat(admitted).isEqualTo(3);
      assertThat(flow.inFlight("sub_race", T0)).isEqualTo(3);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void rateIntervalsAreExact() {
    assertThat(RateLimit.perSecond(3).interval()).isEqualTo(Duration.ofNanos(333_333_333));
    assertThat(RateLimit.perMinute(1).interval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(RateLimit.perSecond(10).toString()).isEqualTo("10/s");
    assertThat(RateLimit.perMinute(30).toString()).isEqualTo("30/min");
  }
}
