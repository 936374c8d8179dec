package dev.herald.worker.e2e;

import static dev.herald.worker.e2e.ApiContractTest.assertProblem;
import static dev.herald.worker.e2e.EventFeedApiTest.ids;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.worker.e2e.HeraldHarness.Response;
import dev.herald.worker.retention.RetentionStarter;
import dev.herald.workflows.retention.RetentionInput;
import dev.herald.workflows.retention.RetentionProgress;
import dev.herald.workflows.retention.RetentionWorkflow;
import dev.herald.workflows.retention.RetentionWorkflows;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retention over HTTP: the worker runs {@code herald-retention}; an event whose delivery finished
 * long ago (its times set back in SQL) is removed with it, and then answers 404 on {@code GET
 * /v1/events/{id}}, while a feed cursor before it answers 410 {@code purged} with the cursor to go
 * on from.
 */
class RetentionEndToEndTest {

  @RegisterExtension static final ReceivingTenant tenant = new ReceivingTenant("retention");

  @Test
  void anEventPastTheRetentionPeriodIsRemovedAndTheFeedSaysWhereItGoesOn() throws Exception {
    HeraldHarness herald = tenant.herald();
    Response sub = tenant.call("POST", "/v1/subscriptions", "{\"name\":\"r\",\"url\":\""
        + tenant.receiver().url() + "\",\"events\":[\"order.*\"],\"retrySchedule\":[600]}");
    assertThat(sub.status()).as("%s", sub.json()).isEqualTo(201);
    publish("evt_aged", "order.paid");
    publish("evt_unheard", "audit.noted"); // no subscription: no delivery
    publish("evt_fresh", "order.paid");
    herald.awaitJson("/v1/events/evt_aged",
        e -> e.get("deliveries").get(0).get("status").asText().equals("succeeded"),
        Duration.ofSeconds(20), tenant.key());
    String afterAged = feed("limit=1").get("nextCursor").asText();

    // Published and delivered 40 days ago, as far as PostgreSQL knows.
    herald.database.jdbi().useHandle(h -> {
      h.execute("UPDATE events SET created_at = now() - interval '40 days'"
          + " WHERE id IN ('evt_aged', 'evt_unheard')");
      h.execute("UPDATE deliveries SET created_at = now() - interval '40 days',"
          + " completed_at = now() - interval '40 days' WHERE event_id = 'evt_aged'");
    });
    WorkflowClient client = herald.temporalClient();
    RetentionWorkflow running = client.newWorkflowStub(RetentionWorkflow.class, RetentionWorkflows.WORKFLOW_ID);
    awaitBatches(running, 1);
    // The worker's run sleeps an hour once caught up: start a fresh one, as a worker restart would.
    WorkflowStub.fromTyped(running).terminate("a fresh look for the test");
    new RetentionStarter(client, RetentionInput.of(2, Duration.ofHours(1).toMillis())).startOrFind();
    RetentionWorkflow fresh = client.newWorkflowStub(RetentionWorkflow.class, RetentionWorkflows.WORKFLOW_ID);
    RetentionProgress progress = awaitBatches(fresh, 1);

    assertThat(progress.deliveries()).isGreaterThanOrEqualTo(1);
    assertThat(progress.events()).isGreaterThanOrEqualTo(2);
    assertProblem(tenant.call("GET", "/v1/events/evt_aged", null), 404, "not_found");
    assertProblem(tenant.call("GET", "/v1/events/evt_unheard", null), 404, "not_found");
    assertThat(tenant.call("GET", "/v1/events/evt_fresh", null).status()).isEqualTo(200);

    Response gone = tenant.call("GET", "/v1/events?after=" + afterAged, null);
    assertProblem(gone, 410, "purged");
    String resume = gone.json().get("nextCursor").asText();
    assertThat(ids(feed("after=" + resume))).containsExactly("evt_fresh");
    assertThat(ids(feed(""))).as("without a cursor, from the oldest position kept")
        .containsExactly("evt_fresh");
  }

  private static RetentionProgress awaitBatches(RetentionWorkflow workflow, int batches)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    RuntimeException last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        RetentionProgress p = workflow.progress();
        if (p.batches() >= batches) {
          return p;
        }
      } catch (RuntimeException notYet) {
        last = notYet;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no retention batch within 30 s", last);
  }

  private static void publish(String id, String type) throws Exception {
    Response r = tenant.call("POST", "/v1/events",
        "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"data\":{}}");
    assertThat(r.status()).as("publish %s: %s", id, r.json()).isEqualTo(202);
  }

  private static JsonNode feed(String query) throws Exception {
    Response r = tenant.call("GET", "/v1/events" + (query.isEmpty() ? "" : "?" + query), null);
    assertThat(r.status()).as("feed ?%s: %s", query, r.json()).isEqualTo(200);
    return r.json();
  }
}
