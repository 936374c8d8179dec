package dev.herald.api.temporal;

import dev.herald.api.config.TemporalConfig;
import io.dropwizard.lifecycle.Managed;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;

/** The connection to Temporal, shared by the API and the worker, closed with the process. */
public final class TemporalConnection implements Managed {

  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final String namespace;

  public TemporalConnection(TemporalConfig config) {
    // Lazy: the process starts even while Temporal is still coming up.
    this.service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(config.address).build());
    this.namespace = config.namespace;
    this.client =
        WorkflowClient.newInstance(
            service, WorkflowClientOptions.newBuilder().setNamespace(config.namespace).build());
  }

  public WorkflowServiceStubs service() {
    return service;
  }

  public WorkflowClient client() {
    return client;
  }

  public String namespace() {
    return namespace;
  }

  @Override
  public void stop() {
    service.shutdown();
  }
}
