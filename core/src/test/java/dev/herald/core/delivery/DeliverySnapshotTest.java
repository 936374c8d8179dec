package dev.herald.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.subscription.Subscription;
import dev.herald.model.DeliveryStatus;
import dev.herald.model.Outcome;
import dev.herald.testing.db.Store;
import dev.herald.testing.db.TestDatabaseExtension;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * {@code GET /v1/deliveries/{id}} reads a delivery and its attempts from one snapshot: while
 * attempts are recorded as fast as PostgreSQL takes them, every read shows as many attempts as
 * its {@code attemptCount}, and the status the last of them set.
 */
@Timeout(60)
class DeliverySnapshotTest {

  @RegisterExtension static final TestDatabaseExtension db = new TestDatabaseExtension();

  @Test
  void aDeliveryAndItsAttemptsAreReadTogetherWhileAttemptsAreRecorded() throws Exception {
    Store store = new Store(db.get());
    Subscription s = store.subscription(false);
    String deliveryId = store.publish(s, 1).get(0);
    int attempts = 300;
    AtomicBoolean writing = new AtomicBoolean(true);
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      try {
        for (int n = 1; n <= attempts; n++) {
          Attempt a = new Attempt(store.ids.next("att"), deliveryId, n, Instant.now(), 5, 503,
              null, null, Outcome.FAILED);
          store.deliveries.recordAttempt(new AttemptRecord(a,
              n < attempts ? DeliveryStatus.RETRYING : DeliveryStatus.FAILED,
              n < attempts ? Instant.now().plusSeconds(60) : null, s.id()));
        }
      } finally {
        writing.set(false);
      }
    });

    int reads = 0;
    while (writing.get()) {
      DeliveryDao.WithAttempts read =
          store.deliveries.findWithAttempts(store.tenantId, deliveryId).orElseThrow();
      List<Attempt> listed = read.attempts();
      assertThat(listed).as("attempts listed, against attemptCount %d",
          read.delivery().attemptCount()).hasSize(read.delivery().attemptCount());
      if (!listed.isEmpty()) {
        assertThat(read.delivery().status()).as("the status after %d attempts", listed.size())
            .isEqualTo(listed.size() < attempts ? DeliveryStatus.RETRYING : DeliveryStatus.FAILED);
      }
      reads++;
    }
    writer.get();
    System.out.printf("DeliverySnapshotTest: %d reads while %d attempts were recorded%n", reads,
        attempts);
    assertThat(reads).as("reads made while recording").isGreaterThan(10);
  }
}
