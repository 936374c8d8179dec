package dev.herald.api.temporal;

import io.grpc.stub.StreamObserver;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.util.UUID;

/**
 * A stand-in Temporal for tests of how Herald calls it: it answers the client's question for the
 * server's capabilities, and each start the subclass lets through ({@link #answerStart}).
 */
abstract class StandInWorkflowService extends WorkflowServiceGrpc.WorkflowServiceImplBase {

  @Override
  public void getSystemInfo(
      GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> answer) {
    answer.onNext(GetSystemInfoResponse.getDefaultInstance());
    answer.onCompleted();
  }

  /** Answers a start as started, with a new run id. */
  static void answerStart(StreamObserver<StartWorkflowExecutionResponse> answer) {
    answer.onNext(
        StartWorkflowExecutionResponse.newBuilder().setRunId(UUID.randomUUID().toString()).build());
    answer.onCompleted();
  }

  @Override
  public abstract void startWorkflowExecution(
      StartWorkflowExecutionRequest request, StreamObserver<StartWorkflowExecutionResponse> answer);
}
