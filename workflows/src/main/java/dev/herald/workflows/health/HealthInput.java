package dev.herald.workflows.health;

/**
 * What a run of {@link SubscriptionHealthWorkflow} starts with.
 *
 * @param subscriptionId the subscription watched
 * @param tenantId its tenant
 * @param carried the state of the previous run when this one continues as new, else null
 * @param historyLimit continue as new once the run's history has this many events (or sooner
 *     when Temporal suggests it); small in tests
 */
public record HealthInput(
    String subscriptionId, String tenantId, HealthState carried, int historyLimit) {

  /** History events per run unless told otherwise. */
  public static final int DEFAULT_HISTORY_LIMIT = 5_000;

  public static HealthInput of(String subscriptionId, String tenantId) {
    return new HealthInput(subscriptionId, tenantId, null, DEFAULT_HISTORY_LIMIT);
  }

  /** The input of the next run, carrying {@code state}. */
  public HealthInput continued(HealthState state) {
    return new HealthInput(subscriptionId, tenantId, state, historyLimit);
  }
}
