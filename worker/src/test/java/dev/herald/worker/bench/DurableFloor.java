package dev.herald.worker.bench;

import com.codahale.metrics.health.HealthCheck;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.api.config.HeraldDataSourceFactory;
import dev.herald.core.db.Database;
import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.logging.common.DefaultLoggingFactory;
import io.dropwizard.request.logging.LogbackAccessRequestLogFactory;
import io.dropwizard.testing.DropwizardTestSupport;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.GrpcCompression;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.jdbi.v3.core.Jdbi;

/**
 * The durable floor, the benchmark's second yardstick: bare Temporal behind the least a durable
 * webhook service does on Herald's stack. A Dropwizard resource parses the posted JSON, commits
 * the event to PostgreSQL (one autocommitted INSERT through JDBI, on the fixed pool of {@code
 * herald dev}), and then starts its workflow before answering 202; the workflow runs one local
 * activity that POSTs the event to the receiver with a pooled Apache HttpClient 5 and commits the
 * outcome (one autocommitted UPDATE). The start is eager (made with the worker's client), the
 * attempt is a local activity, and requests to Temporal go uncompressed, as Herald's do: so the
 * floor's Temporal part is Herald's, not bare Temporal's.
 *
 * <p>It has none of what makes Herald a webhook service beyond that: no API keys, no subscriptions
 * or matching, no idempotent publishing, no signing, no feed, no statistics, no recovery of a start
 * lost in a crash. What it costs over bare Temporal is what accepting and recording a delivery
 * durably costs on this machine; what Herald costs over it is the price of Herald's features.
 */
final class DurableFloor implements AutoCloseable {

  static final String TASK_QUEUE = "bench-floor-deliveries";
  static final String PATH = "/floor/events";

  @WorkflowInterface
  public interface FloorWorkflow {
    @WorkflowMethod
    void deliver(String url, String id, String body);
  }

  @ActivityInterface
  public interface FloorActivities {
    void attempt(String url, String id, String body);
  }

  public static class FloorWorkflowImpl implements FloorWorkflow {
    private final FloorActivities activities =
        Workflow.newLocalActivityStub(
            FloorActivities.class,
            LocalActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(45)).build());

    @Override
    public void deliver(String url, String id, String body) {
      activities.attempt(url, id, body);
    }
  }

  /** POSTs the event's body, then records the outcome in its row. */
  static final class FloorActivitiesImpl implements FloorActivities {
    private final CloseableHttpClient http;
    private final Jdbi jdbi;

    FloorActivitiesImpl(CloseableHttpClient http, Jdbi jdbi) {
      this.http = http;
      this.jdbi = jdbi;
    }

    @Override
    public void attempt(String url, String id, String body) {
      int status = BareTemporal.postTo(http, url, id, body);
      int recorded = jdbi.withHandle(h -> h.createUpdate(
              "UPDATE floor_events SET status = :status, answered = :code, delivered_at = now()"
                  + " WHERE id = :id")
          .bind("status", status / 100 == 2 ? "succeeded" : "failed")
          .bind("code", status)
          .bind("id", id)
          .execute());
      if (status / 100 != 2 || recorded != 1) {
        throw new IllegalStateException("the receiver answered " + status + "; rows recorded " + recorded);
      }
    }
  }

  /** The floor's one setting: the database, on Herald's pool settings. */
  public static class FloorConfiguration extends Configuration {
    @JsonProperty public HeraldDataSourceFactory database = new HeraldDataSourceFactory();
  }

  /** The API, one resource, and the worker, on the Temporal server at {@code address}. */
  static final class FloorApplication extends Application<FloorConfiguration> {
    private final String temporalAddress;
    private final String receiverUrl;
    private final int attemptSlots;
    private final CloseableHttpClient http;

    FloorApplication(String temporalAddress, String receiverUrl, int attemptSlots, CloseableHttpClient http) {
      this.temporalAddress = temporalAddress;
      this.receiverUrl = receiverUrl;
      this.attemptSlots = attemptSlots;
      this.http = http;
    }

    @Override
    public void run(FloorConfiguration config, Environment environment) {
      ManagedDataSource dataSource = config.database.build(environment.metrics(), "floor");
      environment.lifecycle().manage(dataSource);
      Jdbi jdbi = Database.jdbi(dataSource);
      jdbi.useHandle(h -> h.execute(
          "CREATE TABLE IF NOT EXISTS floor_events (id text PRIMARY KEY, payload text NOT NULL,"
              + " status text NOT NULL DEFAULT 'pending', answered int,"
              + " created_at timestamptz NOT NULL DEFAULT now(), delivered_at timestamptz)"));
      // Uncompressed requests, as Herald's (TemporalConnection).
      WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder()
              .setTarget(temporalAddress)
              .setGrpcCompression(GrpcCompression.NONE)
              .build());
      WorkflowClient client = WorkflowClient.newInstance(service);
      WorkerFactory factory = WorkerFactory.newInstance(client);
      Worker worker = factory.newWorker(TASK_QUEUE, WorkerOptions.newBuilder()
          .setMaxConcurrentLocalActivityExecutionSize(attemptSlots)
          .setMaxConcurrentWorkflowTaskExecutionSize(attemptSlots + 10)
          .build());
      worker.registerWorkflowImplementationTypes(FloorWorkflowImpl.class);
      worker.registerActivitiesImplementations(new FloorActivitiesImpl(http, jdbi));
      environment.lifecycle().manage(new Managed() {
        @Override
        public void start() {
          factory.start();
        }

        @Override
        public void stop() {
          factory.shutdown();
          factory.awaitTermination(10, TimeUnit.SECONDS);
          service.shutdown();
        }
      });
      environment.healthChecks().register("database", new HealthCheck() {
        @Override
        protected Result check() {
          jdbi.useHandle(h -> h.execute("SELECT 1"));
          return Result.healthy();
        }
      });
      environment.jersey().register(new FloorResource(jdbi, client, receiverUrl));
    }
  }

  /** {@code POST /floor/events}: commits the event, starts its workflow, answers 202. */
  @Path(PATH)
  public static final class FloorResource {
    private final Jdbi jdbi;
    private final WorkflowClient client;
    private final String receiverUrl;

    FloorResource(Jdbi jdbi, WorkflowClient client, String receiverUrl) {
      this.jdbi = jdbi;
      this.client = client;
      this.receiverUrl = receiverUrl;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response publish(JsonNode event) {
      String id = event.path("id").asText(null);
      if (id == null) {
        return Response.status(400).build();
      }
      String body = event.toString();
      jdbi.useHandle(h -> h.createUpdate("INSERT INTO floor_events (id, payload) VALUES (:id, :payload)")
          .bind("id", id)
          .bind("payload", body)
          .execute());
      FloorWorkflow workflow = client.newWorkflowStub(FloorWorkflow.class,
          WorkflowOptions.newBuilder()
              .setWorkflowId("floor-" + id)
              .setTaskQueue(TASK_QUEUE)
              .setDisableEagerExecution(false)
              .build());
      WorkflowClient.start(workflow::deliver, receiverUrl, id, body);
      return Response.status(202).build();
    }
  }

  private final DropwizardTestSupport<FloorConfiguration> app;
  private final CloseableHttpClient http;

  private DurableFloor(DropwizardTestSupport<FloorConfiguration> app, CloseableHttpClient http) {
    this.app = app;
    this.http = http;
  }

  /**
   * The floor on the Temporal server at {@code address} and the database at {@code jdbcUrl},
   * delivering to {@code receiverUrl} with a pool of {@code maxConnections} (bare Temporal's), with
   * {@code attemptSlots} local activity slots (Herald's default number).
   */
  static DurableFloor start(String address, String jdbcUrl, String receiverUrl, int attemptSlots,
      int maxConnections) throws Exception {
    FloorConfiguration config = new FloorConfiguration();
    config.database.setDriverClass("org.postgresql.Driver");
    config.database.setUrl(jdbcUrl);
    // herald-dev.yml's fixed pool.
    config.database.setMinSize(16);
    config.database.setInitialSize(16);
    config.database.setMaxSize(16);
    DefaultServerFactory server = (DefaultServerFactory) config.getServerFactory();
    server.setApplicationConnectors(List.of(loopback()));
    server.setAdminConnectors(List.of(loopback()));
    LogbackAccessRequestLogFactory requestLog = new LogbackAccessRequestLogFactory();
    requestLog.setAppenders(List.of());
    server.setRequestLogFactory(requestLog);
    ((DefaultLoggingFactory) config.getLoggingFactory()).setLevel("WARN");
    CloseableHttpClient http = BareTemporal.deliveryClient(maxConnections, "durable-floor/bench");
    DropwizardTestSupport<FloorConfiguration> app =
        new DropwizardTestSupport<>(FloorApplication.class, config) {
          @Override
          public Application<FloorConfiguration> newApplication() {
            return new FloorApplication(address, receiverUrl, attemptSlots, http);
          }
        };
    app.before();
    return new DurableFloor(app, http);
  }

  private static HttpConnectorFactory loopback() {
    HttpConnectorFactory connector = new HttpConnectorFactory();
    connector.setPort(0);
    connector.setBindHost("127.0.0.1");
    return connector;
  }

  /** Where the resource is: {@code http://127.0.0.1:<port>/floor/events}. */
  String url() {
    return "http://127.0.0.1:" + app.getLocalPort() + PATH;
  }

  @Override
  public void close() {
    app.after();
    try {
      http.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
