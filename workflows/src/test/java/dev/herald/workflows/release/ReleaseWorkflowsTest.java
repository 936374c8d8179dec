package dev.herald.workflows.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.workflows.temporal.HeraldSearchAttributes;
import dev.herald.workflows.temporal.TaskQueues;
import io.temporal.client.WorkflowOptions;
import org.junit.jupiter.api.Test;

class ReleaseWorkflowsTest {

  @Test
  void optionsNameTheWorkflowAfterTheSubscriptionOnTheDeliveriesQueue() {
    WorkflowOptions options = ReleaseWorkflows.options("sub_42");

    assertThat(options.getWorkflowId()).isEqualTo("subscription-release-sub_42");
    assertThat(options.getTaskQueue()).isEqualTo(TaskQueues.DELIVERIES);
    assertThat(options.getStaticSummary()).isEqualTo("release held deliveries of sub_42");
    assertThat(options.getTypedSearchAttributes().get(HeraldSearchAttributes.SUBSCRIPTION_ID))
        .isEqualTo("sub_42");
  }

  @Test
  void aFreshInputStartsFromZeroAndAContinuedOneCarriesTheTotals() {
    ReleaseInput fresh = ReleaseInput.of("sub_42", 20);
    ReleaseInput next = fresh.continued(400, 20);

    assertThat(fresh.batchesPerRun()).isEqualTo(ReleaseInput.DEFAULT_BATCHES_PER_RUN);
    assertThat(fresh.releasedSoFar()).isZero();
    assertThat(next).isEqualTo(new ReleaseInput("sub_42", 20, fresh.batchesPerRun(), 400, 20));
  }

  @Test
  void aRateBelowOneIsRefused() {
    assertThatThrownBy(() -> ReleaseInput.of("sub_42", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
