package dev.herald.core.job;

import java.time.Instant;

/**
 * A job as stored: so far always a recovery ({@code type} {@code recover}) of one subscription's
 * failed deliveries created in {@code [since, until)}.
 *
 * @param total the failed deliveries in the window when the job was created
 * @param done those reopened for one more attempt and handed to their delivery workflow
 * @param failed those that could not be reopened (no longer failed when reached, or the
 *     subscription was deleted)
 */
public record Job(
    String id,
    String tenantId,
    String type,
    String subscriptionId,
    Instant since,
    Instant until,
    JobStatus status,
    int total,
    int done,
    int failed,
    Instant createdAt,
    Instant updatedAt,
    Instant completedAt) {

  /** The only type of job so far. */
  public static final String RECOVER = "recover";

  public boolean running() {
    return status == JobStatus.RUNNING;
  }
}
