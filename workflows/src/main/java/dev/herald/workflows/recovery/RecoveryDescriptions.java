package dev.herald.workflows.recovery;

/** The sentences a recovery shows in the Temporal UI. */
final class RecoveryDescriptions {

  private RecoveryDescriptions() {}

  /**
   * {@code recovered 40 of 120 failed deliveries}, then, once finished, {@code completed: …} or
   * {@code failed: …}; deliveries that could not be reopened are named when there are any.
   */
  static String details(RecoveryProgress p) {
    String counts = "recovered " + p.done() + " of " + p.total() + " failed deliveries"
        + (p.failed() > 0 ? "; " + p.failed() + " could not be reopened" : "");
    return switch (p.status()) {
      case RecoveryBatchResult.COMPLETED -> "completed: " + counts;
      case RecoveryBatchResult.FAILED -> "failed, the subscription was deleted: " + counts;
      default -> counts;
    };
  }
}
