package dev.herald.api.views;

import dev.herald.core.job.Job;
import java.time.Instant;

/** A job as the API shows it ({@code GET /v1/jobs/{id}}), read from its row. */
public record JobView(
    String id,
    String type,
    String subscriptionId,
    Instant since,
    Instant until,
    String status,
    int total,
    int done,
    int failed,
    Instant createdAt,
    Instant completedAt) {

  public static JobView of(Job j) {
    return new JobView(j.id(), j.type(), j.subscriptionId(), j.since(), j.until(),
        j.status().wireName(), j.total(), j.done(), j.failed(), j.createdAt(), j.completedAt());
  }
}
