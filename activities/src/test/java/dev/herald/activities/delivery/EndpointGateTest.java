package dev.herald.activities.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.delivery.AttemptContext;
import dev.herald.core.flow.EndpointFlowDao;
import dev.herald.core.subscription.Subscription;
import dev.herald.testing.db.Store;
import dev.herald.testing.db.TestDatabaseExtension;
import dev.herald.workflows.delivery.AttemptOutcome;
import dev.herald.workflows.delivery.AttemptRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** This worker's share for one endpoint, against real PostgreSQL, with the wakes recorded. */
class EndpointGateTest {

  @RegisterExtension static final TestDatabaseExtension db = new TestDatabaseExtension();
  private Store store;
  private final List<String> woken = new CopyOnWriteArrayList<>();
  private EndpointGate gate;

  @BeforeEach
  void setUp() {
    store = new Store(db.get());
    gate = new EndpointGate(new EndpointFlowDao(store.db.jdbi()), store.deliveries, 1, woken::add,
        store.clock);
  }

  @Test
  void aFreedPlaceWakesTheAttemptToldToWaitForIt() {
    Subscription s = store.subscription(false);
    List<String> d = store.publish(s, 2);
    EndpointGate.Passage first = gate.enter(context(d.get(0)), request(d.get(0))).passage();
    EndpointGate.Entry second = gate.enter(context(d.get(1)), request(d.get(1)));
    assertThat(second.waiting().outcome()).isEqualTo(AttemptOutcome.WAIT);
    assertThat(woken).isEmpty();

    first.close();

    assertThat(woken).containsExactly(d.get(1));
  }

  /**
   * The wake of a freed place claims the waiter's row with SKIP LOCKED: when another transaction
   * holds that row then, the claim finds no one, and this worker's count of waiters is spent. The
   * waiter is woken when the endpoint's next attempt here leaves with none in flight after it,
   * rather than at its own look seconds later.
   */
  @Test
  void aWaiterTheCountMissedIsWokenWhenTheEndpointsLastAttemptHereLeaves() throws Exception {
    Subscription s = store.subscription(false);
    List<String> d = store.publish(s, 3);
    EndpointGate.Passage first = gate.enter(context(d.get(0)), request(d.get(0))).passage();
    assertThat(gate.enter(context(d.get(1)), request(d.get(1))).waiting()).isNotNull();

    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch left = new CountDownLatch(1);
    Thread holder = new Thread(() -> {
      try {
        store.db.jdbi().useTransaction(h -> {
          h.createQuery("SELECT id FROM deliveries WHERE id = :d FOR UPDATE")
              .bind("d", d.get(1)).mapTo(String.class).one();
          locked.countDown();
          left.await(10, TimeUnit.SECONDS);
        });
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    holder.start();
    assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
    first.close();
    left.countDown();
    holder.join(10_000);
    assertThat(woken).as("the claim skipped the locked row").isEmpty();

    EndpointGate.Entry third = gate.enter(context(d.get(2)), request(d.get(2)));
    assertThat(third.waiting()).as("the endpoint is free here").isNull();
    third.passage().close();

    assertThat(woken).containsExactly(d.get(1));
  }

  private AttemptContext context(String deliveryId) {
    return store.deliveries.loadForAttempt(deliveryId, 1).orElseThrow();
  }

  private static AttemptRequest request(String deliveryId) {
    return new AttemptRequest(deliveryId, 1, 2, 5);
  }
}
