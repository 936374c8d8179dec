package dev.herald.workflows.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.workflows.temporal.HeraldSearchAttributes;
import dev.herald.workflows.temporal.TaskQueues;
import io.temporal.client.WorkflowOptions;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecoveryWorkflowsTest {

  @Test
  void optionsNameTheWorkflowAfterTheJobAndSummariseTheWindow() {
    WorkflowOptions options =
        RecoveryWorkflows.options("job_7", "sub_42", Instant.parse("2026-11-20T18:00:00Z"),
            Instant.parse("2026-11-23T09:00:00Z"));

    assertThat(options.getWorkflowId()).isEqualTo("recovery-job_7");
    assertThat(options.getTaskQueue()).isEqualTo(TaskQueues.DELIVERIES);
    assertThat(options.getStaticSummary())
        .isEqualTo("recover failed deliveries of sub_42 from 2026-11-20T18:00:00Z to 2026-11-23T09:00:00Z");
    assertThat(options.getTypedSearchAttributes().get(HeraldSearchAttributes.SUBSCRIPTION_ID))
        .isEqualTo("sub_42");
  }

  @Test
  void aFreshInputStartsFromNothingAndAContinuedOneCarriesTheProgress() {
    RecoveryInput fresh = RecoveryInput.of("job_7", 20);
    RecoveryProgress progress = new RecoveryProgress(RecoveryBatchResult.RUNNING, 120, 40, 2, 3);

    assertThat(fresh.progress()).isEqualTo(RecoveryProgress.starting());
    assertThat(fresh.batchesPerRun()).isEqualTo(RecoveryInput.DEFAULT_BATCHES_PER_RUN);
    assertThat(fresh.continued(progress))
        .isEqualTo(new RecoveryInput("job_7", 20, RecoveryInput.DEFAULT_BATCHES_PER_RUN, progress));
  }

  @Test
  void aRateBelowOneIsRefused() {
    assertThatThrownBy(() -> RecoveryInput.of("job_7", 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
