package dev.herald.api.temporal;

import dev.herald.workflows.temporal.HeraldSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registers Herald's search attributes with the Temporal namespace when they are missing. */
public final class SearchAttributeRegistrar {

  private static final Logger log = LoggerFactory.getLogger(SearchAttributeRegistrar.class);

  private SearchAttributeRegistrar() {}

  public static void register(TemporalConnection temporal) {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setChannel(temporal.service().getRawChannel())
                .validateAndBuildWithDefaults());
    try {
      Set<String> existing = existing(operator, temporal.namespace());
      for (SearchAttributeKey<?> key : HeraldSearchAttributes.ALL) {
        if (!existing.contains(key.getName())) {
          add(operator, temporal.namespace(), key);
        }
      }
    } finally {
      operator.shutdown();
    }
  }

  private static Set<String> existing(OperatorServiceStubs operator, String namespace) {
    try {
      return new HashSet<>(
          operator
              .blockingStub()
              .listSearchAttributes(
                  ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
              .getCustomAttributesMap()
              .keySet());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        // Temporal's in-memory test server cannot list; adding tells us what exists instead.
        return Set.of();
      }
      throw e;
    }
  }

  private static void add(OperatorServiceStubs operator, String namespace, SearchAttributeKey<?> key) {
    try {
      operator
          .blockingStub()
          .addSearchAttributes(
              AddSearchAttributesRequest.newBuilder()
                  .setNamespace(namespace)
                  .putSearchAttributes(key.getName(), key.getValueType())
                  .build());
      log.info("registered search attribute {} ({})", key.getName(), key.getValueType());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
        throw e;
      }
    }
  }
}
