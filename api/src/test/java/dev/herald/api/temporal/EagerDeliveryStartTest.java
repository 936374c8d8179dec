package dev.herald.api.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.config.TemporalConfig;
import dev.herald.model.DeliveryInput;
import dev.herald.workflows.temporal.TaskQueues;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.EncodedValues;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.DynamicWorkflow;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A delivery's start hands the workflow's first task straight to the worker in this process when
 * the handoff starts with that worker's client (eager start), and is an ordinary start when no
 * worker of the deliveries task queue runs on that client (an API-only process).
 */
@Timeout(60)
class EagerDeliveryStartTest {

  /** What each start asked for and what came back, as seen on the wire. */
  record Start(String workflowId, boolean askedForItsTask, boolean gotItsTask) {}

  private final ConcurrentLinkedQueue<Start> starts = new ConcurrentLinkedQueue<>();
  private TestServer.PortBoundTestServer server;
  private WorkflowServiceStubs service;
  private WorkflowClient client;

  @BeforeEach
  void start() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    server = TestServer.createPortBoundServer(port);
    TemporalConfig config = new TemporalConfig();
    config.address = "127.0.0.1:" + port;
    TemporalConnection registering = new TemporalConnection(config);
    try {
      SearchAttributeRegistrar.register(registering);
    } finally {
      registering.stop();
    }
    service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
        .setTarget("127.0.0.1:" + port)
        .setGrpcClientInterceptors(List.of(new StartSniffer()))
        .build());
    client = WorkflowClient.newInstance(service,
        WorkflowClientOptions.newBuilder().setNamespace("default").build());
  }

  @AfterEach
  void stop() throws IOException {
    service.shutdownNow();
    service.awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  @Test
  void withTheWorkerOnTheClientTheStartBringsTheFirstTaskBack() throws Exception {
    WorkerFactory factory = WorkerFactory.newInstance(client);
    factory.newWorker(TaskQueues.DELIVERIES).registerWorkflowImplementationTypes(Delivered.class);
    factory.start();
    Handoff handoff = new Handoff(client, client, 2, 20, 20, Clock.systemUTC());
    try {
      handoff.start(List.of(input("dlv_eager_1"), input("dlv_eager_2")));
      awaitStarts(2);
      for (String id : List.of("dlv_eager_1", "dlv_eager_2")) {
        // Completes only once the worker ran the workflow.
        client.newUntypedWorkflowStub(DeliveryInput.workflowId(id)).getResult(10, TimeUnit.SECONDS, Void.class);
      }
    } finally {
      handoff.stop();
      factory.shutdownNow();
      factory.awaitTermination(5, TimeUnit.SECONDS);
    }

    assertThat(starts).extracting(Start::workflowId)
        .containsExactlyInAnyOrder("delivery-dlv_eager_1", "delivery-dlv_eager_2");
    assertThat(starts).allSatisfy(s -> {
      assertThat(s.askedForItsTask()).as("asked for its first task").isTrue();
      assertThat(s.gotItsTask()).as("got its first task back").isTrue();
    });
  }

  @Test
  void withNoWorkerOnTheClientTheStartIsAnOrdinaryOne() throws Exception {
    Handoff handoff = new Handoff(client, client, 1, 20, 20, Clock.systemUTC());
    try {
      handoff.start(List.of(input("dlv_plain_1")));
      awaitStarts(1);
    } finally {
      handoff.stop();
    }
    WorkflowStub started = client.newUntypedWorkflowStub("delivery-dlv_plain_1");
    assertThat(started.describe().getWorkflowExecutionInfo().getStatus().name()).contains("RUNNING");
    assertThat(starts).containsExactly(new Start("delivery-dlv_plain_1", false, false));
  }

  private void awaitStarts(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (starts.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  private static DeliveryInput input(String deliveryId) {
    return new DeliveryInput(deliveryId, "ten_1", "sub_1", "order.paid", "https://example.com/hook",
        List.of(2, 2), 1);
  }

  /** Stands in for the delivery workflow (any workflow type): done as soon as it runs. */
  public static class Delivered implements DynamicWorkflow {
    @Override
    public Object execute(EncodedValues args) {
      return null;
    }
  }

  /** Records each StartWorkflowExecution's request flag and whether its answer carried a task. */
  private final class StartSniffer implements ClientInterceptor {
    @Override
    public <Q, A> ClientCall<Q, A> interceptCall(
        MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
      ClientCall<Q, A> call = next.newCall(method, options);
      if (!method.getFullMethodName().endsWith("/StartWorkflowExecution")) {
        return call;
      }
      return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
        private StartWorkflowExecutionRequest request;

        @Override
        public void sendMessage(Q message) {
          request = (StartWorkflowExecutionRequest) message;
          super.sendMessage(message);
        }

        @Override
        public void start(Listener<A> listener, Metadata headers) {
          super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
            @Override
            public void onMessage(A message) {
              StartWorkflowExecutionResponse response = (StartWorkflowExecutionResponse) message;
              starts.add(new Start(request.getWorkflowId(), request.getRequestEagerExecution(),
                  response.hasEagerWorkflowTask()));
              super.onMessage(message);
            }
          }, headers);
        }
      };
    }
  }
}
