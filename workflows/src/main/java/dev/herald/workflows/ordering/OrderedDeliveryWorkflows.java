package dev.herald.workflows.ordering;

import dev.herald.workflows.temporal.HeraldSearchAttributes;
import dev.herald.workflows.temporal.TaskQueues;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.Priority;
import io.temporal.common.SearchAttributes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** How a sequencer is started: by the API after a commit, by a release, and by the sweeper. */
public final class OrderedDeliveryWorkflows {

  /** The longest part of a key shown in the workflow's summary. */
  private static final int SHOWN_KEY = 64;

  private OrderedDeliveryWorkflows() {}

  /**
   * {@code ordered-<subscriptionId>-<first 16 hex digits of sha256(key)>}: one sequencer per
   * subscription and key, whatever the key's length or characters.
   */
  public static String workflowId(String subscriptionId, String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "ordered-" + subscriptionId + "-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The options of the sequencer of {@code input}'s key: its id, the deliveries task queue, the
   * tenant and subscription search attributes, a static summary, and the subscription as its
   * fairness key, as its deliveries have. A closed sequencer may run again under the same id.
   */
  public static WorkflowOptions options(OrderedInput input) {
    SearchAttributes.Builder attributes =
        SearchAttributes.newBuilder()
            .set(HeraldSearchAttributes.SUBSCRIPTION_ID, input.subscriptionId());
    if (input.tenantId() != null) {
      attributes.set(HeraldSearchAttributes.TENANT_ID, input.tenantId());
    }
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId(input.subscriptionId(), input.key()))
        .setTaskQueue(TaskQueues.DELIVERIES)
        .setTypedSearchAttributes(attributes.build())
        .setStaticSummary(summary(input.subscriptionId(), input.key()))
        .setPriority(Priority.newBuilder().setFairnessKey(input.subscriptionId()).build())
        .build();
  }

  /** {@code deliveries of sub_… in order for key "acct_42"}. */
  public static String summary(String subscriptionId, String key) {
    String shown = key.length() > SHOWN_KEY ? key.substring(0, SHOWN_KEY) + "…" : key;
    return "deliveries of " + subscriptionId + " in order for key \"" + shown + "\"";
  }
}
