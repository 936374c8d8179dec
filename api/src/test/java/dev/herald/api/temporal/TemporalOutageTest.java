package dev.herald.api.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.config.TemporalConfig;
import dev.herald.model.DeliveryInput;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With Temporal unreachable, what an API request asks of it gives up within seconds: the request
 * is answered, and the sweeper does the rest later. (The SDK's own retries last a minute per call,
 * so publishing an event with five deliveries used to take five minutes.)
 */
@Timeout(30)
class TemporalOutageTest {

  private static final Duration ONE_CALL =
      TemporalConnection.REQUEST_SYSTEM_INFO.plus(TemporalConnection.REQUEST_RETRY);

  private TemporalConnection temporal;
  private TemporalConfig config;
  private int port;

  @BeforeEach
  void connectToAClosedPort() throws IOException {
    config = new TemporalConfig();
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    config.address = "127.0.0.1:" + port;
    temporal = new TemporalConnection(config);
  }

  @AfterEach
  void close() {
    temporal.stop();
  }

  @Test
  void startingTwentyDeliveriesWaitsForNoneAndGivesUpAfterOneFailedStartPerThread() throws Exception {
    List<DeliveryInput> twenty = twenty("dlv_outage_");
    Handoff handoff = new Handoff(temporal.requestClient(), temporal.client(), 2, 20, 20, Clock.systemUTC());
    long started = System.nanoTime();
    handoff.start(twenty);
    Duration answered = Duration.ofNanos(System.nanoTime() - started);
    handoff.stop();
    Duration drained = Duration.ofNanos(System.nanoTime() - started);

    // The caller (a publish) waits for no start; the two threads wait out a failed start or two
    // each (the very first call may fail otherwise than as unreachable), then the rest are left
    // to the sweeper at once: a few starts' patience, not twenty.
    assertThat(answered).isLessThan(Duration.ofMillis(500));
    assertThat(drained).isLessThan(ONE_CALL.multipliedBy(3));
    assertThat(handoff.leftToSweeper()).isEqualTo(20);
  }

  @Test
  @Timeout(90)
  void startsPutOffWhileTemporalIsDownAreMadeOnceItIsUpWithoutTheSweeper() throws Exception {
    List<DeliveryInput> twenty = twenty("dlv_back_");
    Handoff handoff = new Handoff(temporal.requestClient(), temporal.client(), 2, 20, 20, Clock.systemUTC());
    handoff.start(twenty);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (handoff.putOff() < 20 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(handoff.putOff()).as("starts waiting for Temporal").isEqualTo(20);

    try (TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port)) {
      long started = System.nanoTime();
      // As a worker or the API does when it starts (on a connection of its own, made now), well
      // within the 5 s the starts are put off for.
      TemporalConnection fresh = new TemporalConnection(config);
      try {
        SearchAttributeRegistrar.register(fresh);
      } finally {
        fresh.stop();
      }
      for (DeliveryInput input : twenty) {
        awaitRunning(DeliveryInput.workflowId(input.deliveryId()), Duration.ofSeconds(60));
      }
      System.out.printf("TemporalOutageTest: 20 starts put off while Temporal was down were made"
          + " %d ms after it came up%n", (System.nanoTime() - started) / 1_000_000);
      assertThat(handoff.putOff()).isZero();
      assertThat(handoff.leftToSweeper()).isZero();
      handoff.stop();
    }
  }

  private void awaitRunning(String workflowId, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        DescribeWorkflowExecutionResponse described = temporal.client().getWorkflowServiceStubs()
            .blockingStub()
            .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(temporal.namespace())
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .build());
        assertThat(described.getWorkflowExecutionInfo().getStatus())
            .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
        return;
      } catch (StatusRuntimeException notYet) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(workflowId + " not started within " + timeout, notYet);
        }
        Thread.sleep(200);
      }
    }
  }

  private static List<DeliveryInput> twenty(String prefix) {
    List<DeliveryInput> twenty = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      twenty.add(new DeliveryInput(prefix + i, "ten_1", "sub_1", "order.paid",
          "https://example.com/hook", List.of(2, 2), 1));
    }
    return twenty;
  }

  @Test
  void aReleaseAndASignalEachGiveUpWithinSeconds() {
    long started = System.nanoTime();
    Handoff handoff = new Handoff(temporal.requestClient(), temporal.client(), 1, 20, 20, Clock.systemUTC());
    assertThat(handoff.release("sub_1")).isFalse();
    assertThat(handoff.retryNow("dlv_1")).isFalse();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(took).isLessThan(ONE_CALL.multipliedBy(3));
  }
}
