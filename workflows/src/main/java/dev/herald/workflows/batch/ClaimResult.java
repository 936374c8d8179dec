package dev.herald.workflows.batch;

import java.util.List;

/**
 * What a claim made.
 *
 * @param events deliveries in the batch; 0 when nothing was claimed (nothing gathered, or the
 *     subscription is paused, disabled or deleted)
 * @param retrySchedule the subscription's schedule, for the batch's workflow
 */
public record ClaimResult(int events, List<Integer> retrySchedule) {

  public static ClaimResult none() {
    return new ClaimResult(0, List.of());
  }

  public boolean claimed() {
    return events > 0;
  }
}
