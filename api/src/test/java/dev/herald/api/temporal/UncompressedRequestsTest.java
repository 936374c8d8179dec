package dev.herald.api.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.config.TemporalConfig;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Herald's requests to Temporal go uncompressed, on both of its clients: its workflows carry ids,
 * so a start or a task completion is a few hundred bytes, and gzip (the SDK's default) only cost
 * CPU in the worker and in the server. The server here is a stand-in on loopback that notes the
 * {@code grpc-encoding} each start arrived with.
 */
@Timeout(60)
class UncompressedRequestsTest {

  private static final Metadata.Key<String> ENCODING =
      Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> CALL_ENCODING = Context.key("grpc-encoding");

  /** Workflow id → the encoding its start arrived with ("identity" when none was named). */
  private final Map<String, String> encodings = new ConcurrentHashMap<>();
  private Server server;
  private String address;

  @BeforeEach
  void startTheStandIn() throws Exception {
    ServerInterceptor noteEncoding = new ServerInterceptor() {
      @Override
      public <Q, A> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        String encoding = headers.get(ENCODING);
        return Contexts.interceptCall(
            Context.current().withValue(CALL_ENCODING, encoding == null ? "identity" : encoding),
            call, headers, next);
      }
    };
    StandInWorkflowService starts = new StandInWorkflowService() {
      @Override
      public void startWorkflowExecution(
          StartWorkflowExecutionRequest request,
          StreamObserver<StartWorkflowExecutionResponse> answer) {
        encodings.put(request.getWorkflowId(), CALL_ENCODING.get());
        answerStart(answer);
      }
    };
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(starts, noteEncoding))
        .build()
        .start();
    address = "127.0.0.1:" + server.getPort();
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void bothOfHeraldsClientsSendStartsUncompressed() {
    TemporalConfig config = new TemporalConfig();
    config.address = address;
    TemporalConnection temporal = new TemporalConnection(config);
    try {
      start(temporal.client(), "worker-client");
      start(temporal.requestClient(), "request-client");
    } finally {
      temporal.stop();
    }
    assertThat(encodings).containsEntry("worker-client", "identity")
        .containsEntry("request-client", "identity");
  }

  /** What the test tells apart: a client on the SDK's defaults gzips the same start. */
  @Test
  void theSdksDefaultClientGzipsIt() {
    WorkflowServiceStubs defaults = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    try {
      start(WorkflowClient.newInstance(defaults), "default-client");
    } finally {
      defaults.shutdownNow();
    }
    assertThat(encodings).containsEntry("default-client", "gzip");
  }

  private static void start(WorkflowClient client, String workflowId) {
    client.newUntypedWorkflowStub("Delivery",
            WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue("q").build())
        .start();
  }
}
