package dev.herald.core.batch;

import dev.herald.core.delivery.Attempt;
import dev.herald.core.subscription.Subscription;
import java.util.List;

/**
 * Everything a batch's attempt reads.
 *
 * @param subscription the live subscription, or null once deleted
 * @param members its deliveries in body order; the first is its lead, whose attempt row decides
 *     whether an attempt number is recorded already
 * @param recorded the lead's attempt of the number asked for, when recorded already
 */
public record BatchContext(
    Batch batch, Subscription subscription, List<BatchMember> members, Attempt recorded) {

  public BatchContext {
    members = List.copyOf(members);
  }

  public BatchMember lead() {
    return members.get(0);
  }
}
