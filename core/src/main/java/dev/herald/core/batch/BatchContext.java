package dev.herald.core.batch;

import dev.herald.core.delivery.Attempt;
import dev.herald.core.subscription.BuiltRequest;
import dev.herald.core.subscription.Subscription;
import java.util.List;

/**
 * Everything a batch's attempt reads.
 *
 * @param subscription the live subscription, or null once deleted
 * @param members its deliveries in body order; the first is its lead, whose attempt row decides
 *     whether an attempt number is recorded already
 * @param recorded the lead's attempt of the number asked for, when recorded already
 * @param built the request kept with the batch's first attempt, or null before it
 */
public record BatchContext(
    Batch batch, Subscription subscription, List<BatchMember> members, Attempt recorded,
    BuiltRequest built) {

  public BatchContext {
    members = List.copyOf(members);
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a batch has at least one member");
    }
  }

  public BatchMember lead() {
    return members.get(0);
  }

  /** The same batch with only these members: those whose element is in the body. */
  public BatchContext withMembers(List<BatchMember> sent) {
    return new BatchContext(batch, subscription, sent, recorded, built);
  }
}
