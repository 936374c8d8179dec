package dev.herald.workflows.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.File;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replays a recorded batcher and a recorded batch against the current implementations: a change
 * to their commands fails here before it can break batchers and batches running in production.
 */
class BatchWorkflowReplayTest {

  private static final File BATCHER = BatchHistoryRecorder.BATCHER.toFile();
  private static final File BATCH = BatchHistoryRecorder.BATCH.toFile();

  @Test
  void theRecordedBatcherReplaysDeterministically() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(BATCHER, BatcherWorkflowImpl.class);
  }

  @Test
  void theRecordedBatchReplaysDeterministically() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(BATCH, BatchDeliveryWorkflowImpl.class);
  }

  @Test
  void theRecordedBatcherStartedTwoBatchesAndWaitedOutMaxWaitOnce() throws Exception {
    List<EventType> types = types(BATCHER);
    assertThat(types)
        .filteredOn(EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED::equals)
        .hasSize(2);
    assertThat(types).last().isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
  }

  @Test
  void theRecordedBatchFailedOnceThenSucceeded() throws Exception {
    List<EventType> types = types(BATCH);
    assertThat(types).filteredOn(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED::equals).hasSize(2);
    assertThat(types).filteredOn(EventType.EVENT_TYPE_TIMER_FIRED::equals).hasSize(1);
    assertThat(types).last().isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
  }

  private static List<EventType> types(File history) throws Exception {
    return WorkflowExecutionHistory.fromJson(Files.readString(history.toPath())).getEvents().stream()
        .map(HistoryEvent::getEventType)
        .toList();
  }
}
