package dev.herald.workflows.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.workflows.schedule.RetrySchedule;
import dev.herald.workflows.temporal.HeraldSearchAttributes;
import dev.herald.workflows.temporal.TaskQueues;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.metadata.POJOWorkflowInterfaceMetadata;
import io.temporal.common.SearchAttributes;
import org.junit.jupiter.api.Test;

class DeliveryWorkflowsTest {

  @Test
  void theTypeUntypedStartsUseIsTheOneTheWorkerRegisters() {
    assertThat(POJOWorkflowInterfaceMetadata.newInstance(DeliveryWorkflow.class)
            .getWorkflowMethod().orElseThrow().getName())
        .isEqualTo(DeliveryWorkflows.TYPE);
  }

  @Test
  void optionsNameTheWorkflowAfterTheDeliveryOnTheDeliveriesQueue() {
    WorkflowOptions options =
        DeliveryWorkflows.options(DeliveryTesting.input(RetrySchedule.DEFAULT));

    assertThat(options.getWorkflowId()).isEqualTo("delivery-dlv_test");
    assertThat(options.getTaskQueue()).isEqualTo(TaskQueues.DELIVERIES);
    assertThat(options.getWorkflowIdReusePolicy())
        .isEqualTo(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE);
    assertThat(options.getStaticSummary())
        .isEqualTo("order.paid → https://example.com/hook (sub_test)");
  }

  @Test
  void optionsStartTheSearchAttributesAtPendingWithTheAttemptsAlreadyMade() {
    SearchAttributes fresh =
        DeliveryWorkflows.options(DeliveryTesting.input(RetrySchedule.DEFAULT))
            .getTypedSearchAttributes();
    SearchAttributes restarted =
        DeliveryWorkflows.options(DeliveryTesting.input(RetrySchedule.DEFAULT, 4))
            .getTypedSearchAttributes();

    assertThat(fresh.get(HeraldSearchAttributes.TENANT_ID)).isEqualTo("ten_test");
    assertThat(fresh.get(HeraldSearchAttributes.SUBSCRIPTION_ID)).isEqualTo("sub_test");
    assertThat(fresh.get(HeraldSearchAttributes.EVENT_TYPE)).isEqualTo("order.paid");
    assertThat(fresh.get(HeraldSearchAttributes.DELIVERY_STATUS)).isEqualTo("pending");
    assertThat(fresh.get(HeraldSearchAttributes.ATTEMPTS)).isZero();
    assertThat(restarted.get(HeraldSearchAttributes.ATTEMPTS)).isEqualTo(3L);
  }
}
