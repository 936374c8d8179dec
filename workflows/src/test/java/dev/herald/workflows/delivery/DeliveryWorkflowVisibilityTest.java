package dev.herald.workflows.delivery;

import static dev.herald.workflows.delivery.DeliveryTesting.awaitTrue;
import static dev.herald.workflows.delivery.DeliveryTesting.failed;
import static dev.herald.workflows.delivery.DeliveryTesting.held;
import static dev.herald.workflows.delivery.DeliveryTesting.input;
import static dev.herald.workflows.delivery.DeliveryTesting.newWorkflow;
import static dev.herald.workflows.delivery.DeliveryTesting.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.model.DeliveryInput;
import dev.herald.workflows.schedule.RetrySchedule;
import dev.herald.workflows.temporal.HeraldSearchAttributes;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a delivery costs in history and what it shows in the Temporal UI. */
@Timeout(30)
class DeliveryWorkflowVisibilityTest {

  @RegisterExtension static final TestWorkflowExtension temporal = DeliveryTesting.extension();

  @Test
  void aFirstAttemptSuccessIsOneLocalAttemptInEightEvents(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    RecordedAttempts.start(env, worker, r -> succeeded(204));
    DeliveryInput input = input(RetrySchedule.DEFAULT);
    DeliveryWorkflow workflow = newWorkflow(client, worker, input);

    workflow.deliver(input);

    List<HistoryEvent> events =
        client.fetchHistory(DeliveryInput.workflowId(input.deliveryId())).getEvents();
    List<EventType> types = events.stream().map(HistoryEvent::getEventType).toList();
    System.out.println("first-attempt success: " + types.size() + " events " + types);
    // Started, one workflow task (3), the version marker, the attempt's marker, the upsert, done.
    assertThat(types).hasSize(8);
    assertThat(markers(events)).containsExactly("Version", "LocalActivity");
    assertThat(types).doesNotContain(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
    assertThat(types).doesNotContain(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
    assertThat(types).doesNotContain(EventType.EVENT_TYPE_TIMER_STARTED);
    List<HistoryEvent> upserts =
        events.stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)
            .toList();
    assertThat(upserts).hasSize(1);
    assertThat(
            upserts.get(0)
                .getUpsertWorkflowSearchAttributesEventAttributes()
                .getSearchAttributes()
                .getIndexedFieldsMap())
        .containsOnlyKeys("HeraldDeliveryStatus", "HeraldAttempts");
    assertThat(searchAttributes(workflow).get(HeraldSearchAttributes.DELIVERY_STATUS))
        .isEqualTo("succeeded");
    assertThat(currentDetails(workflow)).isEqualTo("attempt 1 of 8 succeeded: HTTP 204 in 35 ms");
  }

  @Test
  void aFailedAttemptShowsRetryingAndOneAttemptInTheSearchAttributes(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    RecordedAttempts.start(env, worker, r -> failed(503, r));
    DeliveryInput input = input(RetrySchedule.DEFAULT);
    DeliveryWorkflow workflow = newWorkflow(client, worker, input);
    WorkflowClient.start(workflow::deliver, input);
    awaitTrue("the first attempt failed", () -> "retrying".equals(workflow.status().status()));

    SearchAttributes attributes = searchAttributes(workflow);
    assertThat(attributes.get(HeraldSearchAttributes.DELIVERY_STATUS)).isEqualTo("retrying");
    assertThat(attributes.get(HeraldSearchAttributes.ATTEMPTS)).isEqualTo(1L);
    assertThat(attributes.get(HeraldSearchAttributes.TENANT_ID)).isEqualTo("ten_test");
    assertThat(attributes.get(HeraldSearchAttributes.SUBSCRIPTION_ID)).isEqualTo("sub_test");
    assertThat(attributes.get(HeraldSearchAttributes.EVENT_TYPE)).isEqualTo("order.paid");
    DeliveryProgress progress = workflow.status();
    assertThat(progress.attempts()).isEqualTo(1);
    assertThat(progress.nextAttemptAtMillis()).isNotNull();
    assertThat(WorkflowStub.fromTyped(workflow).describe().getStaticSummary())
        .isEqualTo("order.paid → https://example.com/hook (sub_test)");
    assertThat(currentDetails(workflow))
        .matches("attempt 1 of 8 failed: HTTP 503 in 120 ms; next at [0-9-]{10}T[0-9:]{8}Z");
    List<HistoryEvent> events =
        client.fetchHistory(DeliveryInput.workflowId(input.deliveryId())).getEvents();
    // The attempt's marker carries its summary, which the UI shows on the local activity.
    assertThat(summaryOf(events, EventType.EVENT_TYPE_MARKER_RECORDED, "LocalActivity"))
        .isEqualTo("attempt 1 of 8");
    assertThat(summaryOf(events, EventType.EVENT_TYPE_TIMER_STARTED, ""))
        .matches("backoff before attempt 2 \\([4-6] s\\)");
  }

  @Test
  void aHeldSubscriptionEndsTheDeliveryCompletedAsHeld(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    RecordedAttempts attempts = RecordedAttempts.start(env, worker, r -> held());
    DeliveryInput input = input(RetrySchedule.DEFAULT);
    DeliveryWorkflow workflow = newWorkflow(client, worker, input);

    workflow.deliver(input);

    assertThat(attempts.count()).isEqualTo(1);
    assertThat(workflow.status())
        .isEqualTo(new DeliveryProgress("held", 0, 8, null, "subscription paused"));
    SearchAttributes attributes = searchAttributes(workflow);
    assertThat(attributes.get(HeraldSearchAttributes.DELIVERY_STATUS)).isEqualTo("held");
    assertThat(attributes.get(HeraldSearchAttributes.ATTEMPTS)).isEqualTo(0L);
  }

  /** What the Temporal UI shows as current details, read through the SDK's built-in query. */
  private static String currentDetails(DeliveryWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow)
        .query(WorkflowClient.QUERY_TYPE_WORKFLOW_METADATA, WorkflowMetadata.class)
        .getCurrentDetails();
  }

  /** The summary of the first event of {@code type} (and a marker's name, when not empty). */
  private static String summaryOf(List<HistoryEvent> events, EventType type, String marker) {
    HistoryEvent event =
        events.stream()
            .filter(e -> e.getEventType() == type)
            .filter(e -> marker.isEmpty()
                || marker.equals(e.getMarkerRecordedEventAttributes().getMarkerName()))
            .findFirst()
            .orElseThrow();
    return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
        event.getUserMetadata().getSummary(), String.class, String.class);
  }

  private static List<String> markers(List<HistoryEvent> events) {
    return events.stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
        .map(e -> e.getMarkerRecordedEventAttributes().getMarkerName())
        .toList();
  }

  private static SearchAttributes searchAttributes(DeliveryWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow).describe().getTypedSearchAttributes();
  }
}
