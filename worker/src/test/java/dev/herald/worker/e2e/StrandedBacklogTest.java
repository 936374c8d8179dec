package dev.herald.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A crash leaves thousands of accepted deliveries without a workflow (committed, never started,
 * or lost with an in-memory Temporal): the sweeper works the backlog off in passes of 200, 16 at
 * a time, one pass right after another while they come back full, and prints the rate.
 */
class StrandedBacklogTest {

  private static final int STRANDED = 2_205;

  @Test
  void aCrashsStrandedBacklogIsStartedAgainWithinThirtySeconds() throws Exception {
    try (LoopbackReceiver receiver = LoopbackReceiver.start();
        HeraldHarness herald = new HeraldHarness()) {
      receiver.setDefault(ReceiverResponse.status(204));
      String id = herald.call("POST", "/v1/subscriptions", "{\"name\":\"backlog\",\"url\":\""
          + receiver.url() + "\",\"events\":[\"order.*\"]}").json().get("id").asText();
      herald.call("PATCH", "/v1/subscriptions/" + id, "{\"isPaused\":true}");
      String eventId = herald.call("POST", "/v1/events", "{\"type\":\"order.paid\",\"data\":{}}")
          .json().get("id").asText();
      // What a crash leaves: pending deliveries, a minute old, with no workflow anywhere.
      herald.database.jdbi().useTransaction(h -> {
        h.execute("INSERT INTO events (tenant_id, id, type, request_hash, payload, attributes,"
            + " delivery_count, created_at) SELECT tenant_id, id || '_' || g, type, request_hash,"
            + " payload, attributes, 1, created_at FROM events, generate_series(2, ?) g"
            + " WHERE id = ?", STRANDED, eventId);
        h.execute("INSERT INTO deliveries (id, tenant_id, event_id, subscription_id, event_type,"
            + " status, attempt_count, created_at, updated_at) SELECT 'dlv_stranded_' || g,"
            + " tenant_id, id || '_' || g, ?, type, 'pending', 0, now() - interval '1 minute',"
            + " now() - interval '1 minute' FROM events, generate_series(2, ?) g WHERE id = ?",
            id, STRANDED, eventId);
        h.execute("UPDATE deliveries SET status = 'pending', updated_at = now() - interval '1 minute'"
            + " WHERE event_id = ?", eventId);
        h.execute("UPDATE subscriptions SET is_paused = false WHERE id = ?", id);
      });

      long started = System.nanoTime();
      long restartedAt = 0;
      long deadline = started + TimeUnit.SECONDS.toNanos(120);
      int succeeded = 0;
      while (System.nanoTime() < deadline) {
        // Both counts from one snapshot: counted apart, the last deliveries could finish between
        // the two, and the backlog would look delivered without ever looking picked up.
        int[] counts = herald.database.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FILTER (WHERE status = 'pending' AND attempt_count = 0"
                    + " AND updated_at < now() - interval '30 seconds') AS stranded,"
                    + " count(*) FILTER (WHERE status = 'succeeded') AS succeeded"
                    + " FROM deliveries WHERE subscription_id = :s")
            .bind("s", id)
            .map((rs, ctx) -> new int[] {rs.getInt("stranded"), rs.getInt("succeeded")})
            .one());
        int stillStranded = counts[0];
        succeeded = counts[1];
        if (restartedAt == 0 && stillStranded == 0) {
          restartedAt = System.nanoTime();
        }
        if (succeeded == STRANDED) {
          break;
        }
        Thread.sleep(100);
      }
      long deliveredAt = System.nanoTime();
      double untilStarted = (restartedAt - started) / 1e9;
      double untilDelivered = (deliveredAt - started) / 1e9;
      System.out.printf("stranded backlog: %d deliveries, all attempted or started within %.1f s,"
              + " all delivered within %.1f s (%.0f/s)%n",
          STRANDED, untilStarted, untilDelivered, STRANDED / untilDelivered);

      assertThat(succeeded).isEqualTo(STRANDED);
      assertThat(restartedAt).as("every stranded delivery picked up").isPositive();
      assertThat(Duration.ofNanos(restartedAt - started)).isLessThan(Duration.ofSeconds(30));
      assertThat(receiver.requests()).hasSize(STRANDED);
    }
  }
}
