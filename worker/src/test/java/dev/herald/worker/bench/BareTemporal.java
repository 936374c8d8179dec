package dev.herald.worker.bench;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

/**
 * Bare Temporal, the yardstick of the delivery benchmark: one workflow per delivery running one
 * activity that POSTs a JSON body (the same size as Herald's) to the receiver with a pooled
 * Apache HttpClient 5, on a task queue of its own with as many activity slots as Herald's worker.
 * No database, no signing, no search attributes, no retries but Temporal's own.
 */
final class BareTemporal implements AutoCloseable {

  static final String TASK_QUEUE = "bench-bare-deliveries";

  @WorkflowInterface
  public interface BareWorkflow {
    @WorkflowMethod
    void deliver(String url, String webhookId);
  }

  @ActivityInterface
  public interface BareActivities {
    void post(String url, String webhookId);
  }

  public static class BareWorkflowImpl implements BareWorkflow {
    private final BareActivities activities =
        Workflow.newActivityStub(
            BareActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(45)).build());

    @Override
    public void deliver(String url, String webhookId) {
      activities.post(url, webhookId);
    }
  }

  /** POSTs {@code {"id","type","timestamp","data"}} with the benchmark's payload. */
  static final class BareActivitiesImpl implements BareActivities {
    private final CloseableHttpClient http;
    private final String data;

    BareActivitiesImpl(CloseableHttpClient http, String data) {
      this.http = http;
      this.data = data;
    }

    @Override
    public void post(String url, String webhookId) {
      String body = "{\"id\":\"" + webhookId + "\",\"type\":\"" + DeliveryBenchmark.EVENT_TYPE
          + "\",\"timestamp\":\"" + Instant.now() + "\",\"data\":" + data + "}";
      int status = postTo(http, url, webhookId, body);
      if (status / 100 != 2) {
        throw new IllegalStateException("the receiver answered " + status);
      }
    }
  }

  /** POSTs {@code body} to {@code url} with header {@code webhook-id}; returns the status code. */
  static int postTo(CloseableHttpClient http, String url, String webhookId, String body) {
    HttpPost post = new HttpPost(url);
    post.setHeader("webhook-id", webhookId);
    post.setEntity(new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8), ContentType.APPLICATION_JSON));
    try {
      return http.execute(post, response -> {
        EntityUtils.consume(response.getEntity());
        return response.getCode();
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final WorkerFactory factory;
  private final CloseableHttpClient http;

  private BareTemporal(WorkflowServiceStubs service, WorkflowClient client, WorkerFactory factory,
      CloseableHttpClient http) {
    this.service = service;
    this.client = client;
    this.factory = factory;
    this.http = http;
  }

  /** A worker of {@code activitySlots} on the server at {@code address}, and a client. */
  static BareTemporal start(String address, int activitySlots, int maxConnections, String data) {
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    WorkflowClient client = WorkflowClient.newInstance(service);
    CloseableHttpClient http = deliveryClient(maxConnections, "bare-temporal/bench");
    WorkerFactory factory = WorkerFactory.newInstance(client);
    Worker worker =
        factory.newWorker(
            TASK_QUEUE,
            WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(activitySlots).build());
    worker.registerWorkflowImplementationTypes(BareWorkflowImpl.class);
    worker.registerActivitiesImplementations(new BareActivitiesImpl(http, data));
    startRetrying(factory);
    return new BareTemporal(service, client, factory, http);
  }

  /**
   * The pooled Apache HttpClient 5 the yardsticks deliver with (bare Temporal's and the durable
   * floor's): {@code maxConnections} to the receiver, no redirects, retries or cookies.
   */
  static CloseableHttpClient deliveryClient(int maxConnections, String userAgent) {
    PoolingHttpClientConnectionManager pool =
        PoolingHttpClientConnectionManagerBuilder.create()
            .setMaxConnTotal(maxConnections)
            .setMaxConnPerRoute(maxConnections)
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(Timeout.ofSeconds(5))
                    .setSocketTimeout(Timeout.ofSeconds(10))
                    .build())
            .build();
    return HttpClients.custom()
        .setConnectionManager(pool)
        .setDefaultRequestConfig(
            RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(10)).build())
        .disableRedirectHandling()
        .disableAutomaticRetries()
        .disableCookieManagement()
        .setUserAgent(userAgent)
        .build();
  }

  /**
   * Starts the worker, asking again for up to 10 s while the server answers UNAVAILABLE: the dev
   * server can answer the namespace check so for a moment when it is busy (its SQLite query
   * interrupted, "Error interrupted (9)"), as it was once right after the benchmark's previous
   * phase. A failed start leaves the factory as it was, so it can be started again.
   */
  private static void startRetrying(WorkerFactory factory) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        factory.start();
        return;
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** Starts the workflow {@code workflowId} that delivers {@code webhookId} to {@code url}. */
  void start(String workflowId, String url, String webhookId) {
    BareWorkflow workflow =
        client.newWorkflowStub(
            BareWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(TASK_QUEUE).build());
    WorkflowClient.start(workflow::deliver, url, webhookId);
  }

  @Override
  public void close() {
    factory.shutdown();
    factory.awaitTermination(10, TimeUnit.SECONDS);
    try {
      http.close();
    } catch (IOException ignored) {
      // closing
    }
    service.shutdown();
  }
}
